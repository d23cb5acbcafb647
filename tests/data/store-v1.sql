-- A database as schema version 1 of tend wrote it (dumped with Python's sqlite3).
-- tests/unit/test-store.c loads it and checks that the upgrade keeps every row.
PRAGMA user_version = 1;
BEGIN TRANSACTION;
CREATE TABLE activities (  id INTEGER PRIMARY KEY,  uid TEXT NOT NULL UNIQUE,  stressor_id INTEGER NOT NULL REFERENCES stressors(id) ON DELETE CASCADE,  kind TEXT NOT NULL,  slot INTEGER NOT NULL DEFAULT 0,  title TEXT NOT NULL,  start_utc INTEGER NOT NULL,  end_utc INTEGER NOT NULL,  busy INTEGER NOT NULL DEFAULT 1,  sequence INTEGER NOT NULL DEFAULT 0,  status TEXT NOT NULL DEFAULT 'planned',  pinned INTEGER NOT NULL DEFAULT 0,  UNIQUE (stressor_id, kind, slot));
INSERT INTO "activities" VALUES(1,'cafe@tend',1,'rehearse',0,'Rehearse your boundary words',1798117200,1798119000,1,0,'planned',0);
CREATE TABLE calendars (  id INTEGER PRIMARY KEY,  name TEXT NOT NULL UNIQUE,  source TEXT,  imported_at INTEGER NOT NULL);
CREATE TABLE events (  id INTEGER PRIMARY KEY,  calendar_id INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,  uid TEXT NOT NULL,  recurrence_id TEXT NOT NULL DEFAULT '',  sequence INTEGER NOT NULL DEFAULT 0,  summary TEXT NOT NULL DEFAULT '',  location TEXT,  start_utc INTEGER NOT NULL,  end_utc INTEGER NOT NULL,  all_day INTEGER NOT NULL DEFAULT 0,  tzid TEXT,  rrule TEXT,  transparent INTEGER NOT NULL DEFAULT 0,  raw TEXT NOT NULL,  raw_hash TEXT NOT NULL,  UNIQUE (calendar_id, uid, recurrence_id));
CREATE TABLE note_tags (  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,  tag TEXT NOT NULL,  PRIMARY KEY (note_id, tag)) WITHOUT ROWID;
INSERT INTO "note_tags" VALUES(2,'exit');
CREATE TABLE notes (  id INTEGER PRIMARY KEY,  created INTEGER NOT NULL,  text TEXT NOT NULL,  mood INTEGER CHECK (mood BETWEEN 0 AND 10),  stress INTEGER CHECK (stress BETWEEN 0 AND 10),  stressor_id INTEGER REFERENCES stressors(id) ON DELETE SET NULL);
INSERT INTO "notes" VALUES(1,1795000100,'Walked in the park first, it helped.',6,4,1);
INSERT INTO "notes" VALUES(2,1795000200,'Left the kitchen when the shouting started.',4,7,1);
CREATE TABLE occurrences (  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,  start_utc INTEGER NOT NULL,  end_utc INTEGER NOT NULL,  PRIMARY KEY (event_id, start_utc)) WITHOUT ROWID;
CREATE TABLE stressors (  id INTEGER PRIMARY KEY,  uid TEXT NOT NULL UNIQUE,  title TEXT NOT NULL,  kind TEXT NOT NULL,  intensity INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 5),  location TEXT,  start_utc INTEGER NOT NULL,  end_utc INTEGER NOT NULL,  all_day INTEGER NOT NULL DEFAULT 0,  tzid TEXT,  sequence INTEGER NOT NULL DEFAULT 0,  created INTEGER NOT NULL,  event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,  CHECK (end_utc > start_utc));
INSERT INTO "stressors" VALUES(1,'f00d@tend','Christmas at Mum''s','family',4,NULL,1798203600,1798221600,0,'Europe/London',0,1795000000,NULL);
CREATE INDEX occurrences_by_start ON occurrences(start_utc);
CREATE INDEX activities_by_start ON activities(start_utc);
COMMIT;

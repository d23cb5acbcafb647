#!/usr/bin/env bash
# Files tend cannot import: missing, a folder, empty, not iCalendar, or no libcrypto to
# hash them with. Each exits 1 with a message naming the file or library and leaves the
# store as it was. Usage errors exit 2. Events
# that cannot be read are skipped with a warning naming file, line and UID.
source "$(dirname "$0")/lib.sh"
export TZ=America/New_York
EXAMPLE="${TEND_DATA_DIR:-$(dirname "$0")/../..}/calendars/example-family.ics"

# Before anything was imported, a file that cannot be imported creates no database.
printf 'just a note\n' >"$SCRATCH/note.txt"
for bad in "$SCRATCH/missing.ics" "$SCRATCH" "$SCRATCH/note.txt"; do
    run 1 tend import "$bad"
done
[ ! -e "$TEND_DB" ] || fail "a failed first import created the database"

run 0 tend import "$EXAMPLE"
dump() { sqlite3 "$TEND_DB" .dump; }
before=$(dump)

run 1 tend import "$SCRATCH/missing.ics"
expect_eq "missing" "$ERR" "tend: error: cannot read '$SCRATCH/missing.ics': no such file or directory; check the name and try again"
expect_eq "missing prints nothing" "$OUT" ""

mkdir "$SCRATCH/exports"
run 1 tend import "$SCRATCH/exports"
expect_eq "folder" "$ERR" "tend: error: '$SCRATCH/exports' is a folder, not an iCalendar file; give the path of a .ics file"

: >"$SCRATCH/empty.ics"
run 1 tend import "$SCRATCH/empty.ics"
expect_eq "empty" "$ERR" "tend: error: '$SCRATCH/empty.ics' is empty; export the calendar again and import the new file"

run 1 tend import "$DATA/import-not-calendar.ics"
expect_eq "not iCalendar" "$ERR" "tend: error: '$DATA/import-not-calendar.ics' is not an iCalendar file (line 1 should be BEGIN:VCALENDAR); export the calendar as .ics and try again"

if [ "$(id -u)" != 0 ]; then # root reads files whatever their mode
    cp "$EXAMPLE" "$SCRATCH/locked.ics"
    chmod 000 "$SCRATCH/locked.ics"
    run 1 tend import "$SCRATCH/locked.ics"
    expect_eq "unreadable" "$ERR" "tend: error: cannot read '$SCRATCH/locked.ics': permission denied; check the name and try again"
fi

run 2 tend import
expect_eq "no file" "$ERR" "tend: error: import takes one FILE.ics
see 'tend help import'"
run 2 tend import "$EXAMPLE" --calendar "  "
expect_eq "blank calendar name" "$ERR" "tend: error: --calendar needs a name, such as --calendar Family
see 'tend help import'"
run 2 tend import "$EXAMPLE" --colour blue
expect_contains "unknown option" "$ERR" "tend: error: import: unknown option --colour"

# OpenSSL's libcrypto is opened when an import first needs it: one that cannot be loaded
# (here a broken file found first on LD_LIBRARY_PATH) fails the import, naming it.
mkdir "$SCRATCH/lib"
: >"$SCRATCH/lib/libcrypto.so.3"
run 1 env LD_LIBRARY_PATH="$SCRATCH/lib" "$TEND_BIN" import "$EXAMPLE"
expect_eq "no libcrypto" "$ERR" "tend: error: cannot load OpenSSL's libcrypto.so.3, which the import needs to tell changed events from unchanged ones: $SCRATCH/lib/libcrypto.so.3: file too short; install the package libssl3"

expect_eq "store unchanged" "$(dump)" "$before"

# A calendar with some unreadable events: the rest imports, one warning per skipped event.
run 0 tend import "$DATA/import-invalid-events.ics"
expect_eq "partial import" "$OUT" "Imported 'import-invalid-events' from import-invalid-events.ics: added 2, updated 0, removed 0, unchanged 0, skipped 7 (the warnings above say why)"
expect_eq "warnings" "$ERR" "tend: warning: import-invalid-events.ics: line 11: uid 'impossible-date@example.tend': DTSTART '20251345T250000' is not a real date and time
tend: warning: import-invalid-events.ics: line 18: uid 'backwards@example.tend': it ends before it starts
tend: warning: import-invalid-events.ics: line 25: uid 'no-start@example.tend': it has no start (DTSTART)
tend: warning: import-invalid-events.ics: line 30: uid 'mars-time@example.tend': time zone 'Mars/Olympus_Mons' is not one tend knows, and the file does not define it
tend: warning: import-invalid-events.ics: line 37: uid 'garbled-start@example.tend': DTSTART 'next tuesday' is not a date or time tend can read
tend: warning: import-invalid-events.ics: line 43: uid 'bad-rule@example.tend': its repeat rule (RRULE) could not be read
tend: warning: import-invalid-events.ics: line 57: uid 'cut-off@example.tend': the file ends before this event does (no END:VEVENT)"
expect_eq "only the good events" "$(sqlite3 "$TEND_DB" "SELECT e.uid FROM events e JOIN calendars c ON c.id = e.calendar_id WHERE c.name = 'import-invalid-events' ORDER BY e.id")" \
"fine-1@example.tend
fine-2@example.tend"
finish

// check-holidays.mjs FILE...: reads tend's shipped holiday calendars with ical.js (the
// parser Thunderbird uses), checks that every VEVENT has UID, DTSTAMP and an all-day
// DTSTART, and prints every occurrence from 2026 to 2036, expanded by ical.js, one
// "DATE UID SUMMARY" line each, sorted: the same lines check-holidays.py prints from
// python3-dateutil. ical.js comes from tests/js (npm ci --prefix tests/js).
// Exits 1 with a message when ical.js is missing or a file does not pass.
import { existsSync, readFileSync } from 'node:fs';

function fail(message) {
    process.stderr.write(`check-holidays.mjs: ${message}\n`);
    process.exit(1);
}

const entry = new URL('../js/node_modules/ical.js/dist/ical.js', import.meta.url);
if (!existsSync(entry))
    fail("ical.js is not installed; run 'npm ci --prefix tests/js' first");
const ICAL = (await import(entry.href)).default;

const lines = [];
for (const path of process.argv.slice(2)) {
    const name = path.split('/').pop();
    let root;
    try {
        root = new ICAL.Component(ICAL.parse(readFileSync(path, 'utf8')));
    } catch (error) {
        fail(`cannot parse '${name}': ${error.message}`);
    }
    if (root.name !== 'vcalendar') fail(`'${name}' is not a VCALENDAR`);
    const events = root.getAllSubcomponents('vevent');
    if (events.length === 0) fail(`'${name}' has no events`);
    for (const vevent of events) {
        for (const property of ['uid', 'dtstamp', 'dtstart'])
            if (!vevent.hasProperty(property))
                fail(`${name}: an event has no ${property.toUpperCase()}`);
        const event = new ICAL.Event(vevent);
        if (!event.startDate.isDate) fail(`${name}: '${event.uid}' is not all-day`);
        const iterator = event.iterator();
        // A yearly rule gives one date a year; a bound keeps a broken rule from looping.
        for (let n = 0, next = iterator.next(); next && next.year <= 2036 && n < 100;
             n++, next = iterator.next()) {
            if (next.year >= 2026)
                lines.push(`${next.toString()} ${event.uid} ${event.summary}`);
            if (!event.isRecurring()) break;
        }
    }
}
lines.sort();
process.stdout.write(lines.map((line) => line + '\n').join(''));

// check-ics.mjs FILE: reads a tend export with ical.js (the parser Thunderbird uses)
// and prints one normalised line per event, in file order:
//   UID | SUMMARY | START | END | TRANSP | CLASS | ALARM TRIGGERS
// Timed values are converted to UTC through the VTIMEZONEs in the file itself (ical.js
// knows no zones of its own), so a missing or wrong VTIMEZONE shows up as a wrong time.
// Exits 1 with a message when the file does not parse or a TZID has no VTIMEZONE.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

function fail(message) {
    process.stderr.write(`check-ics.mjs: ${message}\n`);
    process.exit(1);
}

const path = process.argv[2];
if (!path) fail('usage: node check-ics.mjs FILE');

let root;
try {
    root = new ICAL.Component(ICAL.parse(readFileSync(path, 'utf8')));
} catch (error) {
    fail(`cannot parse '${path}': ${error.message}`);
}
if (root.name !== 'vcalendar') fail(`'${path}' is not a VCALENDAR`);

for (const vtimezone of root.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(vtimezone);
}

function when(property) {
    const time = property.getFirstValue();
    if (time.isDate) return time.toString();
    const tzid = property.getParameter('tzid');
    if (tzid && !ICAL.TimezoneService.has(tzid)) fail(`TZID '${tzid}' has no VTIMEZONE`);
    if (!tzid && time.zone !== ICAL.Timezone.utcTimezone) fail('a floating time');
    return time.toJSDate().toISOString().replace('.000Z', 'Z');
}

const header = ['version', 'prodid', 'calscale', 'method', 'x-wr-calname', 'x-wr-timezone']
    .map((name) => `${name}=${root.getFirstPropertyValue(name)}`);
console.log(header.join(' | '));
for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    for (const required of ['uid', 'dtstamp', 'sequence', 'dtstart', 'dtend']) {
        if (!component.hasProperty(required)) fail(`event '${event.uid}' has no ${required}`);
    }
    const triggers = component.getAllSubcomponents('valarm').map((alarm) => {
        if (alarm.getFirstPropertyValue('action') !== 'DISPLAY') fail('an alarm that is not DISPLAY');
        return alarm.getFirstPropertyValue('trigger').toString();
    });
    console.log([
        event.uid,
        event.summary,
        when(component.getFirstProperty('dtstart')),
        when(component.getFirstProperty('dtend')),
        component.getFirstPropertyValue('transp'),
        component.getFirstPropertyValue('class') ?? '-',
        triggers.join(',') || '-',
    ].join(' | '));
}

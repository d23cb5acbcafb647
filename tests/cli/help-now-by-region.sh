#!/usr/bin/env bash
# help-now: the crisis lines for the person's region (from --region, tend.conf or the
# locale, else the international directory), their sources and check date, the safety
# plan when there is one, and it still prints everything when the database is broken.
source "$(dirname "$0")/lib.sh"

intro="You don't have to carry this alone. People are there for you right now:"
codes="Another country: 'tend help-now --region CODE' (US CA GB IE AU NZ)."
no_plan="When you feel ready, 'tend safety-plan edit' helps you write a safety plan
of your own, to find here next time."
closing="tend is not therapy, and it cannot call anyone for you. Reaching out to
these people is a strong and sensible thing to do."

# The whole page, for a British locale and no plan yet.
run 0 env -u LC_ALL -u LC_MESSAGES LANG=en_GB.UTF-8 "$TEND_BIN" help-now
expect_eq "GB from locale" "$OUT" "$intro

United Kingdom
  Samaritans: call 116 123 (free from any phone, any time)
  Shout: text SHOUT to 85258 (free, any time)
  If you are in danger right now, call 999 or 112.

Numbers checked 2026-11-28 against:
  https://www.samaritans.org/how-we-can-help/contact-samaritan/
  https://giveusashout.org/
  https://www.nhs.uk/nhs-services/urgent-and-emergency-care-services/when-to-call-999/
Shown for United Kingdom (from your locale).
$codes

$no_plan

$closing"
expect_eq "nothing on stderr" "$ERR" ""
[ ! -e "$TEND_DB" ] || fail "help-now created the database"

# Each region's lines, exactly. (lines 3 to 'Shown for')
lines() { sed -n '3,/^Shown/p' <<<"$OUT"; }
run 0 tend help-now --region US
expect_eq "US" "$(lines)" "United States
  988 Suicide & Crisis Lifeline: call or text 988, or chat at 988lifeline.org
    (free, any time)
  Crisis Text Line: text HOME to 741741 (free, any time)
  If you are in danger right now, call 911.

Numbers checked 2026-11-28 against:
  https://988lifeline.org/
  https://www.crisistextline.org/
Shown for United States (from --region)."
run 0 tend help-now --region ca
expect_eq "CA" "$(lines)" "Canada
  9-8-8: Suicide Crisis Helpline: call or text 9-8-8, in English or French
    (free, any time)
  If you are in danger right now, call 911.

Numbers checked 2026-11-28 against:
  https://988.ca/
Shown for Canada (from --region)."
run 0 env -u LC_ALL -u LC_MESSAGES LANG=en_IE.UTF-8 "$TEND_BIN" help-now
expect_eq "IE from locale" "$(lines)" "Ireland
  Samaritans: call 116 123 (free from any phone, any time)
  50808: text 50808 (free, any time)
  If you are in danger right now, call 112 or 999.

Numbers checked 2026-11-28 against:
  https://www.samaritans.org/ireland/how-we-can-help/contact-samaritan/
  https://text50808.ie/
  https://www2.hse.ie/emergencies/when-to-call-112-or-999/
Shown for Ireland (from your locale)."
run 0 env LC_ALL=en_AU.UTF-8 "$TEND_BIN" help-now
expect_eq "AU from LC_ALL" "$(lines)" "Australia
  Lifeline: call 13 11 14 or text 0477 13 11 14 (any time)
  If you are in danger right now, call 000.

Numbers checked 2026-11-28 against:
  https://www.lifeline.org.au/
Shown for Australia (from your locale)."
run 0 tend help-now --region NZ
expect_eq "NZ" "$(lines)" "New Zealand
  1737, Need to talk?: call or text 1737 (free, any time)
  If you are in danger right now, call 111.

Numbers checked 2026-11-28 against:
  https://1737.org.nz/
Shown for New Zealand (from --region)."
run 0 tend help-now --region uk
expect_contains "UK means GB" "$OUT" "Samaritans: call 116 123"

# No region in a C locale: the international directory, never another country's line.
run 0 tend help-now
expect_eq "fallback" "$(lines)" "Anywhere else
  Find A Helpline: free, confidential lines for your country at
    findahelpline.com
  If you are in danger right now, call your local emergency number (112 works
  from mobile phones in many countries).

Numbers checked 2026-11-28 against:
  https://findahelpline.com/
Shown because no country is set."
run 0 tend help-now --region fr
expect_contains "unknown region" "$OUT" "Shown because tend has no lines for 'FR' yet."
expect_eq "unknown region note" "$ERR" \
    "tend: warning: tend has no lines for 'FR' yet; showing the international directory"

# The config file's [safety] region wins over the locale; --region wins over both.
mkdir -p "$XDG_CONFIG_HOME/tend"
printf '[safety]\nregion=nz\n' >"$XDG_CONFIG_HOME/tend/tend.conf"
run 0 env -u LC_ALL LANG=en_GB.UTF-8 "$TEND_BIN" help-now
expect_contains "config" "$OUT" "Shown for New Zealand (from your tend.conf)."
run 0 env -u LC_ALL LANG=en_GB.UTF-8 "$TEND_BIN" help-now --region CA
expect_contains "flag over config" "$OUT" "Shown for Canada (from --region)."
# A broken config file still shows lines (from the locale), with a note after.
printf 'region=nz\n' >"$XDG_CONFIG_HOME/tend/tend.conf"
run 0 env -u LC_ALL LANG=en_GB.UTF-8 "$TEND_BIN" help-now
expect_contains "broken config" "$OUT" "Shown for United Kingdom (from your locale)."
expect_contains "broken config note" "$ERR" \
    "tend: warning: cannot read '$XDG_CONFIG_HOME/tend/tend.conf': "
rm "$XDG_CONFIG_HOME/tend/tend.conf"

# JSON: the lines and the emergency number, each with an id, source and check date.
run 0 tend help-now --region GB --json
expect_eq "json" "$(jq -c '[.[] | [.id, .kind, .contact, .source]]' <<<"$OUT")" \
    '[["GB/samaritans","line","call 116 123 (free from any phone, any time)","https://www.samaritans.org/how-we-can-help/contact-samaritan/"],["GB/shout","line","text SHOUT to 85258 (free, any time)","https://giveusashout.org/"],["GB/emergency","emergency","999 or 112","https://www.nhs.uk/nhs-services/urgent-and-emergency-care-services/when-to-call-999/"]]'
expect_eq "json checked" "$(jq -r '[.[].checked, .[].region, .[].chosen_by] | unique | join(" ")' <<<"$OUT")" \
    "2026-11-28 GB flag"

# The safety plan, when written, follows the lines.
run 0 tend safety-plan edit --section coping --text "A walk with the dog"
run 0 tend safety-plan edit --section ask-for-help --text "Sam: 07700 900123"
run 0 tend help-now --region GB
expect_eq "plan after lines" "$(sed -n '/^Your safety plan/,$p' <<<"$OUT")" "Your safety plan
  Things that help me cope: A walk with the dog
  People I can ask for help: Sam: 07700 900123

$closing"

# An unusable database: the lines anyway, then a note; exit 0.
printf 'these are not the bytes of a database, just words' >"$SCRATCH/broken.db"
TEND_DB="$SCRATCH/broken.db" run 0 tend help-now --region IE
expect_contains "lines despite broken db" "$OUT" "Samaritans: call 116 123"
expect_contains "closing despite broken db" "$OUT" "tend is not therapy"
expect_eq "broken db note" "$ERR" \
    "tend: warning: cannot read your safety plan: cannot read '$SCRATCH/broken.db': file is not a database"
TEND_DB="$SCRATCH/no-such-folder/../broken.db/x.db" run 0 tend help-now --region AU --json
expect_eq "json despite broken path" "$(jq -r '.[0].contact' <<<"$OUT")" \
    "call 13 11 14 or text 0477 13 11 14 (any time)"

# One step from the overview.
run 0 tend --help
expect_contains "overview names help-now" "$OUT" "If you are in crisis, 'tend help-now' shows crisis"
expect_contains "overview lists help-now" "$OUT" "  help-now    crisis lines to call or text right now"

run 2 tend help-now extra
expect_eq "usage" "$ERR" "tend: error: help-now takes no arguments
see 'tend help help-now'"
finish

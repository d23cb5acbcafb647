#!/usr/bin/env bash
# The database is private (0700 folder, 0600 file, -wal and -shm too) even under
# umask 022; a symlinked path, a file that is not a database and a database from a
# newer tend are refused with a clear message and left as they were.
source "$(dirname "$0")/lib.sh"

unset TEND_DB
umask 022
run 0 tend stressor add "Office party" --start 2026-12-18T18:00 --end 2026-12-18T21:00
db="$XDG_DATA_HOME/tend/tend.db"
[ -f "$db" ] || fail "the database is not at \$XDG_DATA_HOME/tend/tend.db"
expect_eq "folder mode" "$(stat -c %a "$XDG_DATA_HOME/tend")" "700"
for file in "$db" "$db-wal" "$db-shm"; do
    if [ -e "$file" ]; then
        expect_eq "mode of $(basename "$file")" "$(stat -c %a "$file")" "600"
    fi
done

# Without XDG_DATA_HOME the database goes to ~/.local/share/tend.
(
    unset XDG_DATA_HOME
    "$TEND_BIN" stressor add "Dinner" --start 2026-12-19T18:00 --end 2026-12-19T21:00 >/dev/null
)
expect_eq "home fallback mode" "$(stat -c %a "$HOME/.local/share/tend/tend.db")" "600"

# A symlink is refused, for reading and writing.
ln -s "$db" "$SCRATCH/link.db"
for args in "stressor list" "stressor add Party --start 2026-12-20T18:00 --end 2026-12-20T19:00"; do
    # shellcheck disable=SC2086
    TEND_DB="$SCRATCH/link.db" run 1 tend $args
    expect_eq "symlink refused ($args)" "$ERR" "tend: error: '$SCRATCH/link.db' is a symbolic link; tend keeps its database in a real file, please point TEND_DB at one"
done

# A file that is not a database is reported and left alone.
printf 'my shopping list: oranges, candles\n' >"$SCRATCH/notes.txt"
before=$(sha256sum <"$SCRATCH/notes.txt")
TEND_DB="$SCRATCH/notes.txt" run 1 tend stressor add "Party" --start 2026-12-20T18:00 --end 2026-12-20T19:00
expect_eq "not a database" "$ERR" "tend: error: cannot open '$SCRATCH/notes.txt': file is not a database"
expect_eq "not a database untouched" "$(sha256sum <"$SCRATCH/notes.txt")" "$before"

# A database from a newer tend is refused without being written.
cp "$db" "$SCRATCH/newer.db"
sqlite3 "$SCRATCH/newer.db" "PRAGMA user_version = 99"
before=$(sha256sum <"$SCRATCH/newer.db")
TEND_DB="$SCRATCH/newer.db" run 1 tend stressor list
expect_contains "newer refused" "$ERR" "was written by a newer tend (schema 99"
TEND_DB="$SCRATCH/newer.db" run 1 tend stressor remove 1
expect_eq "newer untouched" "$(sha256sum <"$SCRATCH/newer.db")" "$before"

# An unreadable database (when not root, who can read anything).
if [ "$(id -u)" -ne 0 ]; then
    cp "$db" "$SCRATCH/locked.db"
    chmod 000 "$SCRATCH/locked.db"
    TEND_DB="$SCRATCH/locked.db" run 1 tend stressor list
    expect_contains "unreadable" "$ERR" "tend: error: cannot open '$SCRATCH/locked.db'"
fi

# Read-only commands on a missing database create nothing.
TEND_DB="$SCRATCH/fresh/tend.db" run 0 tend stressor list
[ ! -e "$SCRATCH/fresh" ] || fail "a read-only command created files"
finish

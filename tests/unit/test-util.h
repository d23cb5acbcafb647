/* test-util.h: what the unit tests share. */
#pragma once

#include "tend/store.h"

/* Deletes the database file at @path with its -wal and -shm files, if there. */
void test_delete_database(const char *path);

/* Closes @store and deletes its database files. */
void test_close_and_delete(TendStore *store);

// The cost of storing one acknowledged event: the journal's way (one write(2) of a framed
// record into the page cache; a background fdatasync) against SQLite (GRDB's engine) with one
// INSERT per event in autocommit mode, WAL journal, synchronous=NORMAL (durable against a crash
// of the process, as the journal's default) and synchronous=FULL (fsync per event, as
// --storage.fsync=always without group commit). Same 73-byte record, same number of events.
//
//   gcc -O2 Benchmarks/storage-engines.c -lsqlite3 -o /tmp/storage-engines && /tmp/storage-engines /tmp 200000
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double journal_write(const char *dir, int events) {
    char path[512];
    snprintf(path, sizeof path, "%s/engines-journal", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    char record[73];
    memset(record, 'x', sizeof record);
    double start = now();
    for (int i = 0; i < events; i++) {
        if (write(fd, record, sizeof record) != sizeof record) { perror("write"); exit(1); }
    }
    fdatasync(fd);  // the background sync, once at the end (it runs once a second)
    double seconds = now() - start;
    close(fd);
    unlink(path);
    return seconds;
}

static double sqlite_insert(const char *dir, int events, const char *synchronous) {
    char path[512];
    snprintf(path, sizeof path, "%s/engines.sqlite", dir);
    unlink(path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) { fprintf(stderr, "open\n"); exit(1); }
    char pragma[128];
    sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    snprintf(pragma, sizeof pragma, "PRAGMA synchronous=%s", synchronous);
    sqlite3_exec(db, pragma, NULL, NULL, NULL);
    sqlite3_exec(db, "CREATE TABLE journal (sequence INTEGER PRIMARY KEY, record BLOB NOT NULL)", NULL, NULL, NULL);
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT INTO journal (record) VALUES (?)", -1, &insert, NULL);
    char record[65];
    memset(record, 'x', sizeof record);
    double start = now();
    for (int i = 0; i < events; i++) {
        sqlite3_bind_blob(insert, 1, record, sizeof record, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) { fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db)); exit(1); }
        sqlite3_reset(insert);
    }
    double seconds = now() - start;
    sqlite3_finalize(insert);
    sqlite3_close(db);
    unlink(path);
    char wal[520];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    return seconds;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    int events = argc > 2 ? atoi(argv[2]) : 200000;
    int full_events = events / 100;  // an fsync per event: fewer, or it takes minutes
    double journal = 0, normal = 0, full = 0;
    for (int round = 0; round < 3; round++) {  // interleaved; the last round's figures are printed
        journal = journal_write(dir, events) / events;
        normal = sqlite_insert(dir, events, "NORMAL") / events;
        full = sqlite_insert(dir, full_events, "FULL") / full_events;
    }
    printf("per event, %d events (%d with synchronous=FULL), directory %s\n", events, full_events, dir);
    printf("journal write(2) + one fdatasync       %8.2f us  1.00\n", journal * 1e6);
    printf("SQLite WAL synchronous=NORMAL, autocommit %8.2f us  %.2f\n", normal * 1e6, normal / journal);
    printf("SQLite WAL synchronous=FULL, autocommit   %8.2f us  %.2f\n", full * 1e6, full / journal);
    return 0;
}

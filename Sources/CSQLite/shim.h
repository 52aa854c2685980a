#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: turn off SQLite's memory statistics
/// (a global mutex on every allocation). Works only before SQLite initializes; harmless after.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// Connections opened from now on take no mutex of their own (SQLITE_CONFIG_MULTITHREAD):
/// each is used by one thread at a time (GRDB serializes each connection on its queue; the
/// ledger's writer holds GRDB's writer while it works), so a lock on every bind and step is
/// pure cost. Works only before SQLite initializes; harmless after.
static inline int csqlite_use_multithread_mode(void) {
    return sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: turn off SQLite's memory statistics
/// (a global mutex on every allocation). Works only before SQLite initializes; harmless after.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

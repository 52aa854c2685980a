/// The tasks: one row per task, its spec stored whole, its status, worker and times beside it.
protocol TaskStore {
    func fetch(_ id: String) throws -> MarketTask?
    func insert(_ task: MarketTask) throws
    /// Writes a task's status, worker and time; the spec too with `specChanged` (an update).
    func save(_ task: MarketTask, specChanged: Bool) throws
    /// Hides the task from listings, or shows it again.
    func setHidden(_ hidden: Bool, taskID: String, nowMicros: Int64) throws
    /// One page of `filter` as `caller` sees it, newest first; `limit + 1` rows tell that more follow.
    func page(_ query: TaskPageQuery) throws -> [MarketTask]
    /// How many tasks match the query's filters in all (its cursor, offset and limit aside).
    func count(_ query: TaskPageQuery) throws -> Int
    /// Published tasks whose deadline is at or before `nowMicros`, soonest first.
    func pastDeadline(nowMicros: Int64, limit: Int) throws -> [String]
}

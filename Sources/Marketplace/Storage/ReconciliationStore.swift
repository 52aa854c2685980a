/// The reconciliation runs: one row per run with its window, connectors, counts and summary
/// line, and the breaks each run found.
protocol ReconciliationStore {
    /// The id of the latest run, nil before the first.
    func lastRunID() throws -> Int64?
    /// The latest run's id, start and summary line, nil before the first.
    func lastRun() throws -> (id: Int64, startedAt: Int64, summary: String)?
    /// Stores a run and answers its id; `connectors` names them comma-separated.
    func insertRun(startedAt: Int64, from: Int64, to: Int64, connectors: String, matched: Int, breakCount: Int, summary: String) throws -> Int64
    /// Stores a break of run `runID`; a second break with the same fingerprint in the run is ignored.
    func insertBreak(_ item: ReconciliationBreak, runID: Int64) throws
    /// The breaks of run `id`, in the order they were stored.
    func breaks(ofRun id: Int64) throws -> [ReconciliationBreak]
}

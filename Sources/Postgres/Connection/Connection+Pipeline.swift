import CLibPQ

extension Connection {
    /// Sends several statements in one round trip (libpq pipeline mode) and returns their results in
    /// order. Round trips cost more than anything else here (design §6), so statements that do not
    /// depend on each other's results should travel together.
    ///
    /// If one fails, the ones after it are skipped by the server and its error is thrown. Outside a
    /// transaction block the statements up to the sync run as one implicit transaction, so a failure
    /// undoes the ones before it too; after an explicit `BEGIN` the block stays open (failed, when a
    /// statement failed) for the caller to finish.
    @discardableResult
    public func pipeline(_ statements: [SQL]) throws(PostgresError) -> [QueryResult] {
        guard !statements.isEmpty else { return [] }
        guard isHealthy else { throw PostgresError(kind: .usage, message: "the connection is closed") }
        guard PQenterPipelineMode(handle) == 1 else {
            throw connectionError(prefix: "cannot enter pipeline mode")
        }
        defer { PQexitPipelineMode(handle) }
        for statement in statements {
            let (text, binds) = statement.render()
            let sent = try withParameters(binds) { types, values in
                PQsendQueryParams(handle, text, Int32(binds.count), types, values, nil, nil, 0)
            }
            guard sent == 1 else { throw connectionError(prefix: "cannot send a pipelined statement") }
        }
        guard PQpipelineSync(handle) == 1 else { throw connectionError(prefix: "cannot send a pipeline") }

        var results: [QueryResult] = []
        var firstError: PostgresError?
        for _ in statements {
            // Each statement yields its result(s), then a NULL.
            while let result = PQgetResult(handle) {
                let status = PQresultStatus(result)
                if status == PGRES_PIPELINE_ABORTED {
                    PQclear(result)
                    continue
                }
                do {
                    results.append(try checkResult(result))
                } catch {
                    if firstError == nil { firstError = error }
                }
            }
        }
        // The sync point's own result ends the pipeline.
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let firstError { throw firstError }
        if results.count != statements.count && PQstatus(handle) != CONNECTION_OK {
            throw connectionError(prefix: "the pipeline was cut short")
        }
        return results
    }
}

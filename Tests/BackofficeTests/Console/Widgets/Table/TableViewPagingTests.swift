@testable import Console
import Testing

@Suite("TableView: navigation and paging")
struct TableViewPagingTests {
    let source = FakeTableSource(count: 10_000)

    @Test func walksDownAndUpTheWholeSetWithoutGapsOrDuplicates() {
        var driver = TableDriver(table: TableView(columns: sampleColumns), source: source)
        var seen = [driver.table.selectedID!]
        for _ in 1..<source.all.count {
            #expect(driver.press(.down) != nil)
            seen.append(driver.table.selectedID!)
            #expect(driver.table.rows.count <= driver.table.maxRows)
        }
        #expect(seen == source.all.map(\.id))
        #expect(driver.press(.character("j")) == .handled)
        #expect(driver.table.selectedID == "r09999")
        #expect(driver.table.positionText == "10000/10000")

        var back = [driver.table.selectedID!]
        for _ in 1..<source.all.count {
            driver.press(.character("k"))
            back.append(driver.table.selectedID!)
            #expect(driver.table.rows.count <= driver.table.maxRows)
        }
        #expect(back == source.all.map(\.id).reversed())
        #expect(driver.table.positionText.hasPrefix("1/"))
    }

    @Test func neverAsksTwiceWhileARequestIsOutstanding() {
        var table = TableView(columns: sampleColumns, pageSize: 20, visibleRowCount: 10)
        var held = table.reload()
        var keysSinceRequest = 0
        var selected: [String] = []
        var presses = 0
        while selected.last != "r09999" && presses < 20_000 {
            presses += 1
            if let request = held, keysSinceRequest >= 7 {
                held = table.receive(source.answer(request), for: request)
                keysSinceRequest = 0
            }
            let action = table.handle(.pageDown)
            keysSinceRequest += 1
            if case .request(let request) = action {
                #expect(held == nil, "asked for \(request) while \(String(describing: held)) was out")
                held = request
                keysSinceRequest = 0
            }
            if let id = table.selectedID, id != selected.last { selected.append(id) }
            #expect(table.rows.count <= table.maxRows)
        }
        #expect(selected.last == "r09999")
        let indexes = selected.map { Int($0.dropFirst())! }
        #expect(zip(indexes, indexes.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func pageKeysMoveAScreenful() {
        var driver = TableDriver(table: TableView(columns: sampleColumns, visibleRowCount: 10), source: source)
        driver.press(.pageDown)
        #expect(driver.table.selectedID == "r00010")
        driver.press(.pageDown)
        driver.press(.pageUp)
        #expect(driver.table.selectedID == "r00010")
        driver.press(.pageUp)
        driver.press(.pageUp)
        #expect(driver.table.selectedID == "r00000")
        #expect(driver.press(.up) == .handled)
    }

    /// Changes announced while a refresh runs cost one more refresh, not one each; rows whose cells changed
    /// are marked; a failed refresh lets the next change start again.
    @Test func refreshesRunOneAtATimeAndMarkWhatChanged() throws {
        var table = TableView(columns: sampleColumns, pageSize: 20, visibleRowCount: 10)
        let early = table.startRefresh()
        #expect(early == nil, "nothing loaded, nothing to refresh")
        let reload = table.reload()
        let first = try #require(reload)
        _ = table.receive(source.answer(first), for: first)
        let started = table.startRefresh()
        let refresh = try #require(started)
        let second = table.startRefresh()
        let third = table.startRefresh()
        #expect(second == nil && third == nil, "changes wait for the running refresh")
        var answer = source.answer(refresh)
        answer.rows[2].cells[0] = "edited elsewhere"
        let followUp = table.receiveRefresh(answer, epoch: table.epoch)
        guard case .refresh(let again)? = followUp else {
            Issue.record("the interrupted refresh is repeated once: \(String(describing: followUp))")
            return
        }
        #expect(table.changedIDs == [answer.rows[2].id])
        let during = table.startRefresh()
        #expect(during == nil, "the repeat is running")
        table.refreshFailed(epoch: table.epoch)
        let restarted = table.startRefresh()
        #expect(restarted == again, "after a failure the next change starts a refresh")
        let quiet = table.receiveRefresh(source.answer(again), epoch: table.epoch)
        #expect(quiet == nil || { if case .page = quiet { true } else { false } }())
        #expect(table.changedIDs == [answer.rows[2].id], "the row differs again from what was shown")
    }

    /// A refresh still running when the window is reset (a filter changed, Home/End) read the old
    /// window: its answer is dropped rather than laid over the new rows, and refreshing starts afresh.
    @Test func aRefreshAnsweredAfterAResetIsDropped() throws {
        var table = TableView(columns: sampleColumns, pageSize: 20, visibleRowCount: 10)
        let reloaded = table.reload()
        let reload = try #require(reloaded)
        _ = table.receive(source.answer(reload), for: reload)
        let oldEpoch = table.epoch
        let started = table.startRefresh()
        let refresh = try #require(started)
        // The filter changes while the refresh runs: the table is reset and reloads.
        let resetTo = table.reload()
        let again = try #require(resetTo)
        #expect(table.epoch != oldEpoch)
        var newRows = source.answer(again)
        for index in newRows.rows.indices { newRows.rows[index].cells[0] = "new filter" }
        _ = table.receive(newRows, for: again)
        var stale = source.answer(refresh)
        stale.rows[0].cells[0] = "old filter"
        #expect(table.receiveRefresh(stale, epoch: oldEpoch) == nil)
        #expect(table.rows.allSatisfy { $0.cells[0] == "new filter" }, "the new window stays")
        table.refreshFailed(epoch: oldEpoch)
        let fresh = table.startRefresh()
        #expect(fresh != nil, "a refresh for the new window can start")
    }

    /// At an odd height a page is one row less, so the alternate-row shading stays on the same screen
    /// rows and a PageDown repaints only the cells that changed.
    @Test func pagesAreAnEvenNumberOfRows() {
        var driver = TableDriver(table: TableView(columns: sampleColumns, visibleRowCount: 45), source: source)
        driver.press(.pageDown)
        #expect(driver.table.selectedID == "r00044")
        driver.press(.pageDown)
        #expect(driver.table.selectedID == "r00088")
        let first = driver.table.visibleRange(height: 45).lowerBound
        driver.press(.pageDown)
        let second = driver.table.visibleRange(height: 45).lowerBound
        #expect((second - first) % 2 == 0, "the view scrolled by an even number of rows")
        driver.press(.pageUp)
        #expect(driver.table.selectedID == "r00088")
    }

    @Test func endAsksForTheLastPageAndHomeForTheFirst() {
        var driver = TableDriver(table: TableView(columns: sampleColumns), source: source)
        let end = driver.table.handle(.end)
        #expect(end == .request(.last(limit: 50, sort: nil)))
        #expect(driver.table.rows.isEmpty)
        if case .request(let request) = end { driver.serve(request) }
        #expect(driver.table.selectedID == "r09999")
        #expect(driver.table.positionText == "1 from end")
        driver.press(.up)
        #expect(driver.table.positionText == "2 from end")

        driver.table.totalCount = 10_000
        #expect(driver.table.positionText == "9999/10000")

        // Walking up from the end reaches rows before the last page.
        for _ in 0..<60 { driver.press(.up) }
        #expect(driver.table.selectedID == "r09938")

        #expect(driver.table.handle(.home) == .request(.first(limit: 50, sort: nil)))
    }

    @Test func endWithoutLastSupportPagesForward() {
        var table = TableView(columns: sampleColumns, supportsLast: false)
        let first = table.reload()!
        table.receive(source.answer(first), for: first)
        #expect(table.handle(.end) == .request(.after(cursor: "r00049", limit: 50, sort: nil)))
        #expect(table.selectedID == "r00049")
    }

    @Test func homeAndEndInsideALoadedResult() {
        var driver = TableDriver(table: TableView(columns: sampleColumns), source: FakeTableSource(count: 30))
        #expect(driver.press(.end) == .handled)
        #expect(driver.table.selectedID == "r00029")
        #expect(driver.table.positionText == "30/30")
        #expect(driver.press(.home) == .handled)
        #expect(driver.table.selectedID == "r00000")
    }

    @Test func enterOpensTheSelectedRowAndOtherKeysAreLeft() {
        var driver = TableDriver(table: TableView(columns: sampleColumns), source: source)
        driver.press(.down)
        #expect(driver.press(.enter) == .open(rowID: "r00001"))
        #expect(driver.press(.character("x")) == nil)
        #expect(driver.press(.tab) == nil)
    }

    @Test func sortResetsAndAsksForTheFirstPageInTheNewOrder() {
        var driver = TableDriver(table: TableView(columns: sampleColumns), source: source)
        for _ in 0..<5 { driver.press(.down) }
        let request = driver.table.sort(by: 0, ascending: false)
        let descending = TableSort(column: 0, ascending: false)
        #expect(request == .first(limit: 50, sort: descending))
        #expect(driver.table.rows.isEmpty)
        driver.serve(request!)
        #expect(driver.table.selectedID == "r09999")
        driver.press(.down)
        #expect(driver.table.selectedID == "r09998")
    }

    @Test func aResetWaitsForTheOutstandingRequestAndStaleAnswersAreIgnored() {
        var table = TableView(columns: sampleColumns)
        let first = table.reload()!
        table.receive(source.answer(first), for: first)
        var prefetch: TablePageRequest?
        while prefetch == nil {
            if case .request(let request) = table.handle(.down) { prefetch = request }
        }
        #expect(prefetch == .after(cursor: "r00049", limit: 50, sort: nil))
        // Sorting now must not start a second query.
        #expect(table.sort(by: 1, ascending: true) == nil)
        #expect(table.isLoading)
        let sorted = TableSort(column: 1, ascending: true)
        let next = table.receive(source.answer(prefetch!), for: prefetch!)
        #expect(next == .first(limit: 50, sort: sorted))
        #expect(table.rows.isEmpty)
        // An answer to something never asked is ignored.
        #expect(table.receive(source.answer(first), for: first) == nil)
        #expect(table.rows.isEmpty)
        table.receive(source.answer(next!), for: next!)
        #expect(table.rows.count == 50)
        #expect(!table.isLoading)
    }

    @Test func aFailedRequestCanBeAskedAgain() {
        var table = TableView(columns: sampleColumns, pageSize: 10, visibleRowCount: 5)
        let first = table.reload()!
        table.receive(source.answer(first), for: first)
        var request: TablePageRequest?
        while request == nil {
            if case .request(let asked) = table.handle(.down) { request = asked }
        }
        #expect(table.requestFailed(request!) == nil)
        #expect(table.handle(.down) == .request(request!))
    }
}

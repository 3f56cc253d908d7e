/// How a table screen reads its rows off the input loop: its one query (`read`, for a page or for the
/// window again) and the two messages its answers come back as, so each screen writes only what it asks
/// the Domain. Built on demand from the screen's current filters; `Page` is what the query returns (a
/// `TablePage`, or one with the records behind the rows).
struct TableReads<Page: Sendable, Message: Sendable> {
    /// The query for one request, run off the input loop.
    let read: @Sendable (ConsoleServices, TablePageRequest) throws -> Page
    /// A page's answer (`TableView.receive`).
    let page: @Sendable (TablePageRequest, Result<Page, ConsoleFailure>) -> Message
    /// A live refresh's answer, with the table's epoch when it started (`TableView.receiveRefresh`).
    let refreshed: @Sendable (Int, Result<Page, ConsoleFailure>) -> Message

    /// Reads `request`; nothing when there is none (the table waits for an answer already out).
    func run(_ request: TablePageRequest?) -> Effect<Message> {
        guard let request else { return .none }
        let read = self.read, page = self.page
        return .task({ services in try read(services, request) }, then: { page(request, $0) })
    }

    /// Starts a live refresh of `table`'s window (nothing when one runs: that one is repeated).
    func refresh(_ table: inout TableView) -> Effect<Message> {
        guard let request = table.startRefresh() else { return .none }
        return refreshing(request, epoch: table.epoch)
    }

    /// The window again when rows are loaded (a screen uncovered, an import done), else the first page.
    func refreshOrLoad(_ table: inout TableView) -> Effect<Message> {
        table.hasLoaded ? refresh(&table) : run(table.reload())
    }

    /// What `TableView.receiveRefresh` asked for next: the refresh again, or a page the selection needs.
    func follow(_ next: TableView.RefreshFollowUp?, epoch: Int) -> Effect<Message> {
        switch next {
        case .refresh(let request)?: refreshing(request, epoch: epoch)
        case .page(let request)?: run(request)
        case nil: .none
        }
    }

    private func refreshing(_ request: TablePageRequest, epoch: Int) -> Effect<Message> {
        let read = self.read, refreshed = self.refreshed
        return .task({ services in try read(services, request) }, then: { refreshed(epoch, $0) })
    }
}

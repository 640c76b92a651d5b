/// Every page group of the console, one line each: the nav and the router are built from this list.
enum ConsolePages {
    static let groups: [any ConsolePageGroup] = [
        OverviewPages(),
    ]
}

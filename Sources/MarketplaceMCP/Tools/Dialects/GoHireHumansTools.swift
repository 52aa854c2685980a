import MCP
import Marketplace
import MarketplaceViews

/// Seed 000's MCP tools (GoHireHumans: `search_services`, `get_service_details`,
/// `get_categories`, `browse_jobs`, `create_job`, `get_pricing_info`, `get_platform_info`).
/// Five are the marketplace's own tools under the same names; `browse_jobs` and `create_job`
/// answer jobs in the dialect's shape (`budget_amount`, the five statuses). Served at
/// /compat/gohirehumans/mcp and by `marketplace mcp --dialect gohirehumans`.
enum GoHireHumansTools {
    static let definitions = [ServiceTools.searchServices, ServiceTools.getServiceDetails, PlatformTools.getCategories, browseJobs, createJob,
                              PlatformTools.getPricingInfo, PlatformTools.getPlatformInfo]

    static let browseJobs = ToolDefinition(
        name: "browse_jobs", title: "Browse open jobs",
        description: """
            Open job listings (published tasks of everyone in your key's mode, newest first), by category and \
            location_type, paged by limit (default 20, at most 100) and offset; the answer says total. \
            Without a key: the open jobs of the server's mode.
            """,
        input: Schema.object([
            "category": Schema.string("Only this category id (see get_categories)."),
            "location_type": Schema.string("Only remote or local jobs.", oneOf: LocationType.allCases.map(\.rawValue)),
            "limit": Schema.integer("Jobs per page.", minimum: 1, maximum: TaskFilter.limitMax),
            "offset": Schema.integer("Skip this many jobs.", minimum: 0, maximum: TaskFilter.offsetMax),
        ]),
        readOnly: true, anonymous: true
    ) { call in
        let arguments = call.arguments
        let (limit, offset) = (arguments.int("limit") ?? 20, arguments.int("offset") ?? 0)
        let filter = TaskFilter(status: TaskStatus.published.rawValue, category: arguments.string("category"),
                                locationType: arguments.string("location_type"), limit: limit, offset: offset)
        let caller = call.visitor.principal
        let page = try caller.map { caller throws(MarketplaceError) in try call.tools.tasks.list(filter, for: caller) }
            ?? call.tools.tasks.publishedList(filter, mode: call.visitor.mode)
        return JobPage(jobs: page.tasks.map { GoHireHumansTaskView($0) }, total: page.count ?? page.tasks.count, limit: limit, offset: offset)
    }

    struct JobPage: Encodable, Sendable {
        let jobs: [GoHireHumansTaskView]
        let total: Int
        let limit: Int
        let offset: Int
    }

    static let createJob = ToolDefinition(
        name: "create_job", title: "Post a job",
        description: """
            Posts a job human freelancers can apply to, in your key's mode, as POST /api/v1/jobs does. \
            budget_amount is in USD, a whole number or an exact decimal string ("25.50"); budget_type is fixed \
            or hourly; location (city, state or address) is required when location_type is local. The job is \
            open once posted; fund it with a checkout before accepting an applicant. Needs tasks:write.
            """,
        input: Schema.object([
            "title": Schema.string("Short, descriptive title."),
            "description": Schema.string("Full details, instructions and expected deliverables."),
            "category": Schema.string("A category id (see get_categories)."),
            "location_type": Schema.string("Where the work is done.", oneOf: LocationType.allCases.map(\.rawValue)),
            "budget_amount": ["oneOf": [["type": "integer", "minimum": 0], ["type": "string", "pattern": #"^[0-9]+(\.[0-9]+)?$"#]],
                              "description": "The budget in USD: a whole number, or an exact decimal string such as \"25.50\"."],
            "budget_type": Schema.string("A fixed price or an hourly rate.", oneOf: BudgetType.allCases.map(\.rawValue)),
            "location": Schema.string("City, state or address; required for a local job."),
            "deadline": Schema.string("ISO 8601 datetime (2026-03-01T17:00:00Z)."),
        ], required: ["title", "description", "category", "location_type", "budget_amount", "budget_type"]),
        idempotent: false
    ) { call in
        let arguments = call.arguments
        let job = GoHireHumansJobRequest(title: try arguments.requiredString("title"), description: try arguments.requiredString("description"),
                                         category: try arguments.requiredString("category"),
                                         locationType: try arguments.requiredString("location_type"),
                                         budgetAmount: try arguments.wholeOrDecimal("budget_amount"),
                                         budgetType: try arguments.requiredString("budget_type"),
                                         location: arguments.string("location"), deadline: arguments.string("deadline"))
        let caller = try call.caller
        do { return GoHireHumansTaskView(try await call.tools.tasks.create(try job.draft(), by: caller)) } catch let error as MarketplaceError {
            throw error.spelled(GoHireHumansJobRequest.fieldNames)
        }
    }
}

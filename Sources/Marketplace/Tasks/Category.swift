/// The kinds of work the marketplace lists (GET /v1/categories): one taxonomy for tasks and
/// services. A category's `id` is a stable slug: once published it is never renamed or
/// removed (the first eight, photography … other, are the ones tasks were posted with first).
public struct Category: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    /// The `CategoryGroup` it belongs to.
    public let group: String
    public let description: String

    init(_ id: String, _ name: String, _ group: String, _ description: String) {
        self.id = id
        self.name = name
        self.group = group
        self.description = description
    }

    /// Every category, group by group in `CategoryGroup.all`'s order.
    public static let all: [Category] = [
        Category("photography", "Photography", "field_work", "Photograph a place, product or document"),
        Category("videography", "Video recording", "field_work", "Film a place, an event or a product on site"),
        Category("verification", "Verification", "field_work", "Check that something exists or is as described"),
        Category("delivery", "Pickup and delivery", "field_work", "Collect or drop off an item"),
        Category("errands", "Errands", "field_work", "Small tasks in person"),
        Category("mystery_shopping", "Mystery shopping", "field_work", "Visit a shop or service as a customer and report"),
        Category("site_inspection", "Site inspection", "field_work", "Inspect a property, site or installation against a checklist"),
        Category("queueing", "Waiting in line", "field_work", "Hold a place in a queue or wait for an appointment"),
        Category("event_attendance", "Event attendance", "field_work", "Attend an event, take notes and report back"),
        Category("property_showing", "Property showing", "field_work", "Show or view a home or office on someone's behalf"),
        Category("research", "Research", "research_data", "Find, read and summarize information"),
        Category("data_entry", "Data entry", "research_data", "Transcribe, label or tidy data"),
        Category("data_labeling", "Data labeling", "research_data", "Label images, text or audio for a dataset"),
        Category("transcription", "Transcription", "research_data", "Turn audio or video into text"),
        Category("market_research", "Market research", "research_data", "Study a market, its prices and competitors"),
        Category("lead_generation", "Lead generation", "research_data", "Find and qualify contacts that match a profile"),
        Category("fact_checking", "Fact checking", "research_data", "Check claims against sources"),
        Category("surveys", "Surveys and interviews", "research_data", "Answer, run or transcribe surveys and interviews"),
        Category("price_checking", "Price checking", "research_data", "Record prices on shelves, menus or sites"),
        Category("ai_evaluation", "AI evaluation", "research_data", "Rate, compare or correct AI model output"),
        Category("writing", "Writing", "writing_language", "Write or edit text"),
        Category("editing", "Editing and proofreading", "writing_language", "Correct and improve existing text"),
        Category("copywriting", "Copywriting", "writing_language", "Write marketing and product copy"),
        Category("translation", "Translation", "writing_language", "Translate text or speech between languages"),
        Category("technical_writing", "Technical writing", "writing_language", "Write documentation, manuals and guides"),
        Category("resume_writing", "Resume writing", "writing_language", "Write or improve resumes and cover letters"),
        Category("localization", "Localization", "writing_language", "Adapt a product or text for a language and market"),
        Category("graphic_design", "Graphic design", "design_creative", "Design visuals, layouts and print material"),
        Category("logo_design", "Logo and branding", "design_creative", "Design logos and brand identities"),
        Category("illustration", "Illustration", "design_creative", "Draw illustrations and artwork"),
        Category("ui_ux_design", "UI and UX design", "design_creative", "Design interfaces and user journeys"),
        Category("photo_editing", "Photo editing", "design_creative", "Retouch and edit photos"),
        Category("video_editing", "Video editing", "design_creative", "Cut, grade and caption video"),
        Category("animation", "Animation", "design_creative", "Animate motion graphics or characters"),
        Category("voice_over", "Voice over", "design_creative", "Record narration or character voices"),
        Category("music_audio", "Music and audio", "design_creative", "Compose, mix or clean up audio"),
        Category("web_development", "Web development", "software_tech", "Build or fix websites and web apps"),
        Category("mobile_development", "Mobile development", "software_tech", "Build or fix iOS and Android apps"),
        Category("software_testing", "Software testing", "software_tech", "Test software by hand and report bugs"),
        Category("devops", "DevOps and cloud", "software_tech", "Set up servers, deployments and monitoring"),
        Category("data_science", "Data science", "software_tech", "Analyze data, build models and charts"),
        Category("cybersecurity", "Cybersecurity", "software_tech", "Review security and test defenses"),
        Category("it_support", "IT support", "software_tech", "Fix computers, networks and accounts"),
        Category("spreadsheets", "Spreadsheets", "software_tech", "Build and fix spreadsheets and formulas"),
        Category("automation", "Automation", "software_tech", "Script and connect tools to save manual work"),
        Category("virtual_assistance", "Virtual assistance", "business_admin", "Handle email, calendars and admin"),
        Category("customer_support", "Customer support", "business_admin", "Answer customers by chat, mail or phone"),
        Category("bookkeeping", "Bookkeeping", "business_admin", "Record and reconcile accounts"),
        Category("project_management", "Project management", "business_admin", "Plan and track work with a team"),
        Category("sales", "Sales", "business_admin", "Reach prospects and close deals"),
        Category("social_media", "Social media", "business_admin", "Run and post on social media accounts"),
        Category("digital_marketing", "Digital marketing", "business_admin", "Plan and run online campaigns"),
        Category("seo", "SEO", "business_admin", "Improve how pages rank in search"),
        Category("content_moderation", "Content moderation", "business_admin", "Review content against a policy"),
        Category("recruiting", "Recruiting", "business_admin", "Source and screen candidates"),
        Category("legal_assistance", "Legal assistance", "business_admin", "Prepare documents and research for legal matters"),
        Category("cleaning", "Cleaning", "home_personal", "Clean a home, office or vehicle"),
        Category("handyman", "Handyman", "home_personal", "Small repairs and assembly"),
        Category("moving_help", "Moving help", "home_personal", "Pack, carry and load"),
        Category("pet_care", "Pet care", "home_personal", "Walk, feed or sit pets"),
        Category("tutoring", "Tutoring", "home_personal", "Teach a subject or skill"),
        Category("coaching", "Coaching", "home_personal", "Coach for fitness, career or wellbeing"),
        Category("other", "Other", "other", "Anything else a person can do"),
    ]

    private static let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The category whose slug is `id`, if the taxonomy has one.
    public static func named(_ id: String) -> Category? { byID[id] }
}

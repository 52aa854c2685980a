/// Seed 003's `task_type` (PHOTO, DELIVERY, INSPECTION, ...) as our category and the proof it
/// asks for. The type is kept as the task's `task_type`; a type the document does not name
/// goes to `other` and asks for no kind of deliverable beyond its proof requirements.
public enum HumanOpsTaskType {
    /// The category and whether the proof is a photo (the document's proof is "photo proof").
    public static func category(of type: String) -> (category: String, photo: Bool) {
        switch type.uppercased() {
        case "PHOTO": ("photography", true)
        case "VIDEO": ("videography", true)
        case "DELIVERY": ("delivery", true)
        case "INSPECTION": ("site_inspection", true)
        case "VERIFICATION": ("verification", true)
        case "ERRAND": ("errands", false)
        case "RESEARCH": ("research", false)
        default: ("other", false)
        }
    }
}

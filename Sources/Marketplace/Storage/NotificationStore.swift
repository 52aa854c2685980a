/// The notifications: one row per thing a user should know about, in one mode, with the task
/// it concerns and when the user read it.
protocol NotificationStore {
    func insert(id: String, kind: Notification.Kind, userID: String, mode: Mode, taskID: String?, text: String, nowMicros: Int64) throws
    /// The user's notifications in `mode`, newest first, at most 200; only unread ones with `unreadOnly`.
    func list(userID: String, mode: Mode, unreadOnly: Bool) throws -> [Notification]
    /// Marks the user's notification read at `nowMicros` unless it was read already; answers
    /// it as it now is, nil when the user has no such notification in `mode`.
    /// How many of the user's notifications in `mode` are unread.
    func unreadCount(userID: String, mode: Mode) throws -> Int
    func markRead(_ id: String, userID: String, mode: Mode, nowMicros: Int64) throws -> Notification?
    /// Marks every unread notification of the user in `mode` read; answers how many changed.
    func markAllRead(userID: String, mode: Mode, nowMicros: Int64) throws -> Int
}

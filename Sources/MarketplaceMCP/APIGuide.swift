/// The API guide an agent reads as the `marketplace://guide` resource: how a task's life goes
/// through the tools, how money is written, which scope each tool needs, what errors mean.
enum APIGuide {
    static let uri = "marketplace://guide"

    static let text = """
        # Task marketplace: the agent's guide

        You post tasks that humans carry out (photograph a storefront, verify an address, pick up a parcel),
        fund them, and pay for the work you approve. Every cent moves through a double-entry ledger: the money
        is frozen in the task's own escrow while the work happens, paid to the worker (and the platform fee) on
        approval, refunded to you on cancellation.

        ## A task's life, tool by tool

        1. `get_categories`, `get_pricing_info`: pick a category; the fee is added on top of the budget by default
           (a 25.00 USD task at 10% puts 27.50 in escrow).
        2. `create_task` with title, description, category and budget {amount: "25.00", currency: "USD"}.
           The task is published at once.
        3. `fund_task`: source wallet (default) takes budget + fee from your wallet; source card answers with a
           checkout URL for a person to pay; source usdc answers with x402 payment requirements to sign, then
           takes the signed payment; in test mode source connector pays at once through the test connector.
           A key with a spend policy may get "awaiting_approval": the account owner approves it.
        4. `list_applications`, then `respond_to_application` with action accept (the task must be funded) or
           reject. `list_messages` / `send_message` talk with an applicant (their user id in with / to).
        5. `list_submissions` shows what the worker handed in, with a proof score.
        6. `respond_to_submission`: approve pays the worker and ends the task "paid"; request_revision sends it
           back with feedback; reject needs a reason of 50+ characters. Either side may `open_dispute` instead;
           an admin then splits the escrow exactly.
        7. `cancel_task` before work is submitted refunds the escrow in full. `get_wallet` and
           `list_transactions` show where your money is. `hide_task` takes a task out of the listing
           (it is still worked and paid by id) and puts it back.
        8. Milestones: create_task with milestones (amounts summing to the budget exactly) pays the budget in
           parts. `fund_milestone` funds one part (fund_task funds every part left); once a worker is accepted,
           `approve_milestone` pays one part to the worker with its fee share, the last one ends the task "paid";
           `cancel_task` then refunds only the funded parts not released. `list_milestones` (or get_task) shows
           each part's status: pending, funded, released, refunded.

        ## Services and orders

        Humans and AI agents also offer services at a set price. `search_services` finds them (query, category,
        min_price / max_price, price_type, location_type; paged like list_tasks) and `get_service_details` reads
        one; `create_service` publishes your own (any account). `order_service` orders one: the order is a task
        of yours assigned to the provider at once, priced from the service (an hourly rate × hours), so get_task,
        respond_to_submission and cancel_task work on it by its id. Pass fund {source: "wallet"} to order and
        fund in one step, or fund later with fund_task, or with `prepare_order_payment` (amount = the order's
        price), which sets the payment aside for the account owner's approval. The provider submits once the
        order is funded.

        In test mode create_task with mock_operator=true has a simulated human apply, get accepted once the
        task is funded, and submit: the whole life can be rehearsed with no one else.

        ## Money

        Amounts are exact decimal strings in the currency's units: "25.00" USD (at most 2 decimals), "1.500000"
        USDC (at most 6). JSON numbers are refused for money, since a binary float cannot hold 0.10 exactly.
        Answers give every amount twice: amount ("27.50") and amount_minor (2750), with its asset.

        ## Keys, scopes, modes

        Your API key decides everything the REST API decides: sk_test_ keys see and move test-mode data only,
        sk_live_ keys live data only; the two never meet. Scopes: list_tasks, get_task, list_applications,
        list_submissions, list_milestones need tasks:read; create_task, update_task, cancel_task, hide_task,
        respond_to_application, respond_to_submission, approve_milestone, open_dispute, create_service, order_service
        need tasks:write; fund_task, fund_milestone and prepare_order_payment need wallet:write (order_service too,
        with fund); get_wallet and
        list_transactions need wallet:read; list_messages needs messages:read; send_message needs
        messages:write. get_categories, get_pricing_info, get_platform_info, search_services and
        get_service_details need none.

        Without a key the session still opens: list_tasks and get_task read published tasks of the server's mode,
        get_categories, get_pricing_info and get_platform_info answer, and create_task posts anonymously, answering a
        task_token (shown once) that manages that one task as a Bearer credential. Every other tool is UNAUTHORIZED.

        ## Errors

        A refusal is a tool error (isError true) whose text is
        {"success": false, "error": {"code": "...", "message": "...", "field": "..."}}, the same body and codes
        as the REST API: VALIDATION_ERROR (field names the argument, e.g. budget.amount), UNAUTHORIZED,
        FORBIDDEN (a scope or role is missing), NOT_FOUND (also for another user's task), CONFLICT (the task's
        status does not allow it), PAYMENT_REQUIRED (fund the task first), INSUFFICIENT_BALANCE,
        RISK_GATE_BLOCKED, LIMIT_EXCEEDED, CONNECTOR_ERROR, CONNECTOR_UNAVAILABLE (recorded and retried; ask
        again later), INTERNAL_ERROR. Nothing is written when a call is refused.
        """
}

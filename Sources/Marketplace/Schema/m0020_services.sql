-- m0020: services that providers (humans, or agents offering an AI service) publish, and the
-- orders of them. An order is a task (its id is the task's id), assigned to the provider at
-- once and priced from the service; this table says which service and how many hours.
CREATE TABLE services (
    id            TEXT    PRIMARY KEY,
    mode          TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    provider_id   TEXT    NOT NULL REFERENCES users (id),
    status        TEXT    NOT NULL CHECK (status IN ('published', 'unpublished')),
    title         TEXT    NOT NULL,
    description   TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    price_type    TEXT    NOT NULL CHECK (price_type IN ('fixed', 'hourly')),
    asset         TEXT    NOT NULL,
    -- The whole price (fixed) or the rate per hour (hourly), in the asset's minor units.
    price_minor   INTEGER NOT NULL CHECK (price_minor > 0),
    delivery_days INTEGER NOT NULL CHECK (delivery_days > 0),
    location_type TEXT    NOT NULL CHECK (location_type IN ('remote', 'local')),
    location      TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX services_listing ON services (mode, status, created_at DESC, id DESC);
CREATE INDEX services_by_provider ON services (provider_id, created_at DESC, id DESC);

CREATE TABLE service_orders (
    task_id     TEXT    PRIMARY KEY REFERENCES tasks (id),
    service_id  TEXT    NOT NULL REFERENCES services (id),
    buyer_id    TEXT    NOT NULL REFERENCES users (id),
    provider_id TEXT    NOT NULL REFERENCES users (id),
    -- Hours ordered of an hourly service; NULL for a fixed one.
    hours       INTEGER CHECK (hours IS NULL OR hours > 0),
    created_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX service_orders_by_service ON service_orders (service_id, created_at);
CREATE INDEX service_orders_by_buyer ON service_orders (buyer_id, created_at);
CREATE INDEX service_orders_by_provider ON service_orders (provider_id, created_at);

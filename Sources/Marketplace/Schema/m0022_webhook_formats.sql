-- m0022: the format an endpoint's deliveries are written in. 'marketplace' is this API's own
-- envelope and `Marketplace-Signature`; a dialect's endpoints (seed 004's /webhooks) get the
-- envelope and signature header its document prints.
ALTER TABLE webhook_endpoints ADD COLUMN format TEXT NOT NULL DEFAULT 'marketplace';

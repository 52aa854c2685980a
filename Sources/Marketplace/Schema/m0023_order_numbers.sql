-- m0023: a number per order, 1, 2, 3, … in the order they were placed. Seed 000's
-- prepare-order-payment names an order by an integer `order_id`; the order's own id stays
-- its task's id. Existing orders are numbered by when they were placed.
ALTER TABLE service_orders ADD COLUMN number INTEGER;
UPDATE service_orders SET number = (
    SELECT COUNT(*) FROM service_orders o
    WHERE o.created_at < service_orders.created_at OR (o.created_at = service_orders.created_at AND o.task_id <= service_orders.task_id));
CREATE UNIQUE INDEX service_orders_by_number ON service_orders (number);

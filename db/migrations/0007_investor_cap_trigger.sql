-- The yearly investor cap per issuer, held by the database under any concurrency: every change of
-- an order's committed yen goes through investor_commitments, whose row lock serialises one
-- investor's orders with one issuer, and a change that would pass the offering's cap is refused.
CREATE FUNCTION order_committed_yen(status order_status, amount integer) RETURNS bigint
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN status IN ('reserved', 'awaiting_payment', 'paid', 'allocating', 'allocated', 'disputed') THEN amount::bigint ELSE 0 END
$$;
--> statement-breakpoint
CREATE FUNCTION keep_investor_commitments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta bigint;
  issuer uuid;
  cap integer;
  year integer;
  total bigint;
BEGIN
  delta := order_committed_yen(NEW.status, NEW.amount_yen)
    - CASE WHEN TG_OP = 'UPDATE' THEN order_committed_yen(OLD.status, OLD.amount_yen) ELSE 0 END;
  IF delta = 0 THEN
    RETURN NULL;
  END IF;
  SELECT village_id, yearly_cap_yen_per_investor INTO issuer, cap FROM offerings WHERE id = NEW.offering_id;
  year := extract(year FROM NEW.created_at AT TIME ZONE 'Asia/Tokyo');
  IF delta < 0 THEN
    -- A plain update: the proposed row of an upsert is checked (>= 0) before its conflict is found.
    UPDATE investor_commitments SET committed_yen = committed_yen + delta
      WHERE user_id = NEW.user_id AND village_id = issuer AND tokyo_year = year;
    RETURN NULL;
  END IF;
  INSERT INTO investor_commitments AS c (user_id, village_id, tokyo_year, committed_yen)
    VALUES (NEW.user_id, issuer, year, delta)
    ON CONFLICT (user_id, village_id, tokyo_year) DO UPDATE SET committed_yen = c.committed_yen + excluded.committed_yen
    RETURNING committed_yen INTO total;
  IF total > cap THEN
    RAISE EXCEPTION 'yearly investor cap of % yen with this issuer exceeded', cap
      USING ERRCODE = 'check_violation', CONSTRAINT = 'investor_yearly_cap';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER orders_keep_investor_commitments AFTER INSERT OR UPDATE OF status, amount_yen ON orders
  FOR EACH ROW EXECUTE FUNCTION keep_investor_commitments();
--> statement-breakpoint
INSERT INTO investor_commitments (user_id, village_id, tokyo_year, committed_yen)
  SELECT o.user_id, f.village_id, extract(year FROM o.created_at AT TIME ZONE 'Asia/Tokyo')::integer, sum(order_committed_yen(o.status, o.amount_yen))
  FROM orders o JOIN offerings f ON f.id = o.offering_id
  GROUP BY 1, 2, 3;

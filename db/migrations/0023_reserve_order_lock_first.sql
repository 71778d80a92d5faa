-- reserve_order (0022) takes the offering's row in a locking read, then updates the row it holds,
-- instead of one UPDATE joined to a locking sub-select of the same row (issue 16's deadlock).
CREATE OR REPLACE FUNCTION reserve_order(p_user text, p_offering uuid, p_units integer, p_disclosure text, p_method text, p_now timestamptz, p_expires timestamptz, p_konbini_min_yen integer, p_konbini_max_yen integer)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  r record;
  o offerings;
  amount bigint;
  remaining bigint;
  first boolean;
  resident boolean := false;
  tokyo_day date := (p_now AT TIME ZONE 'Asia/Tokyo')::date;
  new_order orders;
  order_json json;
  offering_json json;
  taken integer;
BEGIN
  -- Everything the checks read, in one statement: the offering, its disclosure in force, the
  -- buyer's onboarding blockers and the yen committed this Tokyo year with the issuer.
  SELECT f AS offering, d.id AS disclosure_id, d.version AS disclosure_version, b.blockers, c.committed_yen AS spent INTO r
    FROM offerings AS f
    CROSS JOIN purchase_blockers(p_user) AS b
    LEFT JOIN LATERAL (
      SELECT id, version FROM legal_documents WHERE kind = 'pre_contract' AND (offering_id = f.id OR offering_id IS NULL)
      ORDER BY offering_id IS NULL, published_at DESC LIMIT 1) AS d ON true
    LEFT JOIN investor_commitments AS c
      ON c.user_id = p_user AND c.village_id = f.village_id AND c.tokyo_year = extract(year FROM p_now AT TIME ZONE 'Asia/Tokyo')
    WHERE f.id = p_offering;
  IF NOT FOUND THEN
    RETURN json_build_object('error', 'notFound');
  END IF;
  o := r.offering;
  amount := p_units::bigint * o.price_yen;
  -- Pay later only where the offering takes it now (deferredMethodsOf): 24 hours before the close, a
  -- konbini voucher of at least one whole Tokyo day from tomorrow, and a konbini amount within its limits.
  IF p_method IN ('konbini', 'bank_transfer') THEN
    IF NOT (o.closes_at - p_now >= interval '24 hours' AND CASE WHEN p_method = 'konbini'
        THEN o.konbini_enabled AND o.closes_at >= ((tokyo_day + 2)::timestamp AT TIME ZONE 'Asia/Tokyo')
        ELSE o.bank_transfer_enabled END) THEN
      RETURN json_build_object('error', 'methodUnavailable');
    END IF;
    IF p_method = 'konbini' AND (amount < p_konbini_min_yen OR amount > p_konbini_max_yen) THEN
      RETURN json_build_object('error', 'konbiniAmount');
    END IF;
  END IF;
  IF o.status = 'draft' THEN
    RETURN json_build_object('error', 'notFound');
  ELSIF o.token_address IS NULL THEN
    RETURN json_build_object('error', 'noContract');
  ELSIF cardinality(r.blockers) > 0 THEN
    RETURN json_build_object('error', 'onboarding', 'blockers', r.blockers);
  ELSIF r.disclosure_id IS NULL OR r.disclosure_id::text IS DISTINCT FROM p_disclosure THEN
    RETURN json_build_object('error', 'staleDisclosure');
  -- The purchase limits (lib/orders/limits.ts), in their order.
  ELSIF o.status <> 'open' THEN
    RETURN json_build_object('error', 'notOpen');
  ELSIF p_now < o.opens_at THEN
    RETURN json_build_object('error', 'notStarted', 'opensAt', o.opens_at);
  ELSIF p_now >= o.closes_at THEN
    RETURN json_build_object('error', 'ended');
  ELSIF p_units < o.min_units_per_order THEN
    RETURN json_build_object('error', 'belowMin', 'min', o.min_units_per_order);
  ELSIF p_units > o.max_units_per_order THEN
    RETURN json_build_object('error', 'aboveMax', 'max', o.max_units_per_order);
  END IF;
  remaining := greatest(0, o.yearly_cap_yen_per_investor - coalesce(r.spent, 0));
  IF amount > remaining THEN
    RETURN json_build_object('error', 'yearlyCap', 'remainingYen', remaining);
  END IF;
  -- residentPhase (lib/residents/tranche.ts): a window (tranche of 0) or a tranche until residents_until.
  first := o.residents_until IS NOT NULL AND p_now < o.residents_until;
  IF first THEN
    resident := is_resident_of(p_user, o.village_id);
    IF o.resident_units = 0 AND NOT resident THEN
      RETURN json_build_object('error', 'residentsOnly', 'until', o.residents_until);
    END IF;
  END IF;
  -- Sold out as of this snapshot: refused at once, without waiting on the offering's row lock.
  IF NOT offering_has_room(o, p_units, resident, first, p_now, o.terms_revision) THEN
    RETURN json_build_object('error', 'soldOut', 'resident', resident, 'offering', json_build_object(
      'capUnits', o.cap_units, 'reservedUnits', o.reserved_units, 'soldUnits', o.sold_units,
      'residentUnits', o.resident_units, 'residentTakenUnits', o.resident_taken_units, 'residentsUntil', o.residents_until));
  END IF;

  -- The order and its first event in one statement; the order's insert counts its yen toward the
  -- yearly cap (trigger on orders), which locks this investor's total with the issuer until the commit.
  WITH inserted AS (
    INSERT INTO orders (user_id, offering_id, units, amount_yen, disclosure_document_id, reservation_expires_at, payment_method, cooling_off_ends_at)
      VALUES (p_user, o.id, p_units, amount, r.disclosure_id, p_expires, p_method,
        CASE WHEN o.cooling_off_days > 0 THEN (tokyo_day + o.cooling_off_days)::timestamp AT TIME ZONE 'Asia/Tokyo' END)
      RETURNING *),
  event AS (
    INSERT INTO order_events (order_id, from_status, to_status, detail)
      SELECT id, NULL, 'reserved', jsonb_build_object('disclosureVersion', r.disclosure_version) FROM inserted)
  SELECT * INTO new_order FROM inserted;
  order_json := row_to_json(new_order);
  offering_json := row_to_json(o);

  -- The contended row last, so its lock is held only until the commit. The locking read skips the row
  -- unlocked when it has no room on the snapshot, and rechecks the newest version after a wait; the
  -- UPDATE then changes the row this transaction holds (one UPDATE joined to a locking sub-select of the
  -- same row deadlocked in a rush of 5,000 buyers).
  -- NO KEY UPDATE, as FOR UPDATE would clash with the key-share locks of the orders' foreign keys.
  SELECT tranche_share(l, p_units, resident, first) INTO taken FROM offerings AS l
    WHERE l.id = o.id AND offering_has_room(l, p_units, resident, first, p_now, o.terms_revision)
    FOR NO KEY UPDATE;
  IF FOUND THEN
    UPDATE offerings SET reserved_units = reserved_units + p_units, resident_taken_units = resident_taken_units + taken
      WHERE id = o.id;
  END IF;
  IF taken IS NULL THEN
    RAISE EXCEPTION 'offering % has no room for % units', o.id, p_units
      USING ERRCODE = 'check_violation', CONSTRAINT = 'offering_sold_out';
  ELSIF taken > 0 THEN
    UPDATE orders SET resident_units = taken WHERE id = new_order.id;
    new_order.resident_units := taken;
    order_json := row_to_json(new_order);
  END IF;
  RETURN json_build_object('order', order_json, 'offering', offering_json);
END
$$;

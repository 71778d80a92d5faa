-- The reservation in one round trip (issue 16): every check of lib/orders/reservation.ts, the order
-- row, its event and the units taken, in one call. The yearly cap per investor and issuer stays with
-- the trigger on orders (0007); the CHECK constraints on offerings stay the backstop.

-- normaliseMunicipality (lib/residents/municipality.ts): NFKC, then no white space (JavaScript's \s).
CREATE FUNCTION municipality_key(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(normalize(coalesce(value, ''), NFKC), '[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+', '', 'g')
$$;
--> statement-breakpoint
-- isResidentOf (lib/residents/residence.ts): the verified address is in the issuer's municipality.
CREATE FUNCTION is_resident_of(p_user text, p_issuer uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce((
    SELECT p.address_verified_at IS NOT NULL
      AND municipality_key(p.prefecture) <> '' AND municipality_key(p.city) <> ''
      AND municipality_key(p.prefecture) = municipality_key(v.resident_prefecture)
      AND municipality_key(p.city) = municipality_key(v.resident_city)
    FROM villages v JOIN investor_profiles p ON p.user_id = p_user
    WHERE v.id = p_issuer AND coalesce(v.resident_prefecture, '') <> '' AND coalesce(v.resident_city, '') <> ''), false)
$$;
--> statement-breakpoint
-- purchaseBlockers (lib/onboarding/state.ts), in its order; the suitability rule is assessSuitability's.
-- A table function of one row, so that PostgreSQL inlines it into the reservation's one read.
CREATE FUNCTION purchase_blockers(p_user text) RETURNS TABLE (blockers text[]) LANGUAGE sql STABLE AS $$
  SELECT array_remove(ARRAY[
    CASE WHEN NOT EXISTS (SELECT 1 FROM investor_profiles WHERE user_id = p_user) THEN 'profile' END,
    CASE WHEN s.answers IS NULL THEN 'suitability'
         WHEN s.answers->>'purpose' = 'short_term_profit' OR (s.answers->>'assetBand' = 'under_1m' AND s.answers->>'experience' = 'none') THEN 'unsuitable' END,
    CASE WHEN EXISTS (
      SELECT 1 FROM (SELECT DISTINCT ON (kind) id FROM legal_documents WHERE kind IN ('risk_disclosure', 'terms') ORDER BY kind, published_at DESC) AS current
      WHERE NOT EXISTS (SELECT 1 FROM document_acceptances a WHERE a.user_id = p_user AND a.document_id = current.id)) THEN 'disclosures' END,
    CASE WHEN (SELECT status::text FROM identity_documents WHERE user_id = p_user ORDER BY submitted_at DESC LIMIT 1) IS DISTINCT FROM 'approved' THEN 'identity' END
  ], NULL)
  FROM (SELECT (SELECT answers FROM suitability_answers WHERE user_id = p_user ORDER BY answered_at DESC LIMIT 1) AS answers) AS s
$$;
--> statement-breakpoint
-- Units of this order from the residents' tranche: a resident's, while residents come first, up to what is left of it.
CREATE FUNCTION tranche_share(f offerings, units integer, resident boolean, residents_first boolean) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN residents_first AND resident THEN least(units, f.resident_units - f.resident_taken_units) ELSE 0 END
$$;
--> statement-breakpoint
-- Whether the order fits the sale as the buyer saw it: open on the approved revision, within the cap,
-- and while residents come first, the units it adds to the general part within cap − tranche.
CREATE FUNCTION offering_has_room(f offerings, units integer, resident boolean, residents_first boolean, moment timestamptz, revision integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT f.status = 'open' AND f.terms_revision = revision AND f.approved_revision = revision
    AND f.opens_at <= moment AND f.closes_at > moment
    AND f.reserved_units + f.sold_units + units <= f.cap_units
    AND (NOT residents_first OR f.reserved_units + f.sold_units - f.resident_taken_units + units - tranche_share(f, units, resident, residents_first) <= f.cap_units - f.resident_units)
$$;
--> statement-breakpoint
-- Returns {"error": …, details} or {"order": …, "offering": …}. A race lost after the checks raises
-- (offering_sold_out, or investor_yearly_cap from the trigger) so that the order row goes with it.
CREATE FUNCTION reserve_order(p_user text, p_offering uuid, p_units integer, p_disclosure text, p_method text, p_now timestamptz, p_expires timestamptz, p_konbini_min_yen integer, p_konbini_max_yen integer)
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

  -- The contended row last, so its lock is held only until the commit. The locking sub-select skips
  -- the row unlocked when it has no room on the snapshot, and rechecks the newest version after a wait;
  -- NO KEY UPDATE, as FOR UPDATE would clash with the key-share locks of the orders' foreign keys.
  UPDATE offerings AS f
    SET reserved_units = p.reserved_units + p_units,
        resident_taken_units = p.resident_taken_units + p.share
    FROM (SELECT l.id, l.reserved_units, l.resident_taken_units, tranche_share(l, p_units, resident, first) AS share FROM offerings AS l
          WHERE l.id = o.id AND offering_has_room(l, p_units, resident, first, p_now, o.terms_revision)
          FOR NO KEY UPDATE) AS p
    WHERE f.id = p.id
    RETURNING p.share INTO taken;
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

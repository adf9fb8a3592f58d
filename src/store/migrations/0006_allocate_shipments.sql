-- Several allocations in one statement: what requests running at once share, and a batch's items
-- (src/store/shared-statements.ts). Set-based, and a function so that its plan is kept per session, as
-- allocate_shipment()'s are: sent as text, the statement was planned again on every call. The first
-- item naming a shipment claims it and a later one finds it taken; the tracking numbers are drawn in
-- the items' order (nextval, volatile, is evaluated after the sort). No row for an item whose shipment
-- was not claimed. The left join is allocate_shipment()'s: a claimed shipment whose carrier is missing
-- fails the statement.
CREATE FUNCTION allocate_shipments(
  p_shipment_ids integer[], p_account_ids integer[], p_from text[], p_service_ids integer[], p_service_references text[],
  p_service_names text[], p_nets numeric[], p_grosses numeric[], p_currencies text[], p_taxes jsonb[], p_carrier_ids integer[]
) RETURNS TABLE (shipment_id integer, carrier_reference text, carrier_name text, allocation_date timestamptz, tracking_references text[])
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    WITH items AS (
      SELECT * FROM unnest(p_shipment_ids, p_account_ids, p_service_ids, p_service_references, p_service_names, p_nets, p_grosses,
        p_currencies, p_taxes, p_carrier_ids)
        WITH ORDINALITY AS u(shipment_id, account_id, service_id, service_reference, service_name, net, gross, currency, taxes, carrier_id, item)
    ), firsts AS (
      SELECT DISTINCT ON (items.shipment_id) * FROM items ORDER BY items.shipment_id, items.item
    ), claimed AS (
      UPDATE shipments AS s SET state = 'allocated' FROM firsts AS f
      WHERE s.id = f.shipment_id AND s.account_id = f.account_id AND s.state = ANY (p_from)
      RETURNING s.id
    )
    INSERT INTO allocations AS a (shipment_id, carrier_service_id, carrier_service_reference, carrier_reference, carrier_name,
      service_name, net, gross, currency, taxes, tracking_references)
    SELECT f.shipment_id, f.service_id, f.service_reference, c.reference, c.name, f.service_name, f.net, f.gross, f.currency, f.taxes,
      array[c.tracking_prefix || nextval(quote_ident(c.tracking_sequence)::regclass)::text || c.tracking_suffix]
    FROM firsts AS f JOIN claimed ON claimed.id = f.shipment_id LEFT JOIN carriers AS c ON c.id = f.carrier_id
    ORDER BY f.item
    RETURNING a.shipment_id, a.carrier_reference, a.carrier_name, a.allocation_date, a.tracking_references;
END $$;

-- More of BOARD-2 kept for the kept as-of days of migration 021 (bd_customer_rank_days), so that the potential (D2),
-- recharge (D4) and 60-day frequency (D7) tabs read an index's first entries and a few totals instead of grouping
-- or looking up every member:
--
-- * bd_customer_snapshot_spend: D2 and D7 total the 60-day coach-service spend of every member of their snapshot
--   (about 60,000 at the demo's scale 50), one lookup in bd_customer_spend60 per member. The total is kept per
--   kept day, snapshot and calculation day. A row is exact whenever it exists: spend_fen = the sum of
--   bd_customer_spend60.spend_fen (as_of, member) over the members of the snapshot table's rows of calc_date (0 for
--   a member without spend). Rows are made by CustomerRankings::keepDays for the latest calculation day on or
--   before each kept day, and by the triggers below when the first row of a newer calculation day on or before a
--   kept day comes in; a calculation day without a row here is added up by the board from the kept spend as
--   before.
-- * bd_customer_recharge: D4 with its default period (the last 30 days) per kept day and member.
--
-- Triggers keep both in step with every write to the kept spend (itself kept by migration 021's triggers on the
-- logs), to the two snapshot tables and to the recharge orders, inside the writer's transaction;
-- CustomerRankings::verify derives every row again from the facts. As in migrations 019 and 021, no upsert: an
-- outer statement's conflict clause would override the trigger's.

CREATE TABLE bd_customer_snapshot_spend (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    as_of TEXT NOT NULL,     -- a kept day
    snapshot TEXT NOT NULL CHECK (snapshot IN ('spi', 'consumption')), -- the tab's snapshot table
    calc_date TEXT NOT NULL, -- one of its calculation days, on or before as_of
    spend_fen INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, as_of, snapshot, calc_date)
) WITHOUT ROWID;

-- The latest calculation day on or before each kept day, as migration 021 left the kept days.
INSERT INTO bd_customer_snapshot_spend (tenant_id, site_id, as_of, snapshot, calc_date, spend_fen)
SELECT d.tenant_id, d.site_id, d.as_of, 'spi', c.calc_date,
       COALESCE((SELECT SUM(s.spend_fen) FROM bd_member_spending_power_index p
                   JOIN bd_customer_spend60 s ON s.tenant_id = p.tenant_id AND s.site_id = p.site_id
                    AND s.as_of = d.as_of AND s.tenant_member_id = p.tenant_member_id
                  WHERE p.tenant_id = d.tenant_id AND p.site_id = d.site_id AND p.calc_date = c.calc_date), 0)
  FROM bd_customer_rank_days d
  JOIN (SELECT d2.tenant_id, d2.site_id, d2.as_of,
               (SELECT MAX(p.calc_date) FROM bd_member_spending_power_index p WHERE p.tenant_id = d2.tenant_id
                   AND p.site_id = d2.site_id AND p.calc_date <= d2.as_of) AS calc_date
          FROM bd_customer_rank_days d2) c
    ON c.tenant_id = d.tenant_id AND c.site_id = d.site_id AND c.as_of = d.as_of
 WHERE c.calc_date IS NOT NULL;

INSERT INTO bd_customer_snapshot_spend (tenant_id, site_id, as_of, snapshot, calc_date, spend_fen)
SELECT d.tenant_id, d.site_id, d.as_of, 'consumption', c.calc_date,
       COALESCE((SELECT SUM(s.spend_fen) FROM bd_member_consumption_summary p
                   JOIN bd_customer_spend60 s ON s.tenant_id = p.tenant_id AND s.site_id = p.site_id
                    AND s.as_of = d.as_of AND s.tenant_member_id = p.tenant_member_id
                  WHERE p.tenant_id = d.tenant_id AND p.site_id = d.site_id AND p.calc_date = c.calc_date), 0)
  FROM bd_customer_rank_days d
  JOIN (SELECT d2.tenant_id, d2.site_id, d2.as_of,
               (SELECT MAX(p.calc_date) FROM bd_member_consumption_summary p WHERE p.tenant_id = d2.tenant_id
                   AND p.site_id = d2.site_id AND p.calc_date <= d2.as_of) AS calc_date
          FROM bd_customer_rank_days d2) c
    ON c.tenant_id = d.tenant_id AND c.site_id = d.site_id AND c.as_of = d.as_of
 WHERE c.calc_date IS NOT NULL;

-- A member's kept spend changes (a log came, went or changed, or its day was derived): every kept total of that
-- day whose snapshot holds the member follows. Keys of bd_customer_spend60 never change in place but an update is
-- handled as the old row going and the new one coming all the same.
CREATE TRIGGER bd_customer_snapshot_spend_sp_insert AFTER INSERT ON bd_customer_spend60
WHEN NEW.spend_fen <> 0
BEGIN
    UPDATE bd_customer_snapshot_spend SET spend_fen = spend_fen + NEW.spend_fen
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND as_of = NEW.as_of
       AND ((snapshot = 'spi' AND EXISTS (SELECT 1 FROM bd_member_spending_power_index p
                 WHERE p.tenant_id = NEW.tenant_id AND p.site_id = NEW.site_id
                   AND p.tenant_member_id = NEW.tenant_member_id
                   AND p.calc_date = bd_customer_snapshot_spend.calc_date))
         OR (snapshot = 'consumption' AND EXISTS (SELECT 1 FROM bd_member_consumption_summary p
                 WHERE p.tenant_id = NEW.tenant_id AND p.site_id = NEW.site_id
                   AND p.tenant_member_id = NEW.tenant_member_id
                   AND p.calc_date = bd_customer_snapshot_spend.calc_date)));
END;

CREATE TRIGGER bd_customer_snapshot_spend_sp_delete AFTER DELETE ON bd_customer_spend60
WHEN OLD.spend_fen <> 0
BEGIN
    UPDATE bd_customer_snapshot_spend SET spend_fen = spend_fen - OLD.spend_fen
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND as_of = OLD.as_of
       AND ((snapshot = 'spi' AND EXISTS (SELECT 1 FROM bd_member_spending_power_index p
                 WHERE p.tenant_id = OLD.tenant_id AND p.site_id = OLD.site_id
                   AND p.tenant_member_id = OLD.tenant_member_id
                   AND p.calc_date = bd_customer_snapshot_spend.calc_date))
         OR (snapshot = 'consumption' AND EXISTS (SELECT 1 FROM bd_member_consumption_summary p
                 WHERE p.tenant_id = OLD.tenant_id AND p.site_id = OLD.site_id
                   AND p.tenant_member_id = OLD.tenant_member_id
                   AND p.calc_date = bd_customer_snapshot_spend.calc_date)));
END;

CREATE TRIGGER bd_customer_snapshot_spend_sp_update AFTER UPDATE ON bd_customer_spend60
WHEN NEW.spend_fen <> OLD.spend_fen OR NEW.tenant_id <> OLD.tenant_id OR NEW.site_id <> OLD.site_id
  OR NEW.as_of <> OLD.as_of OR NEW.tenant_member_id <> OLD.tenant_member_id
BEGIN
    UPDATE bd_customer_snapshot_spend SET spend_fen = spend_fen - OLD.spend_fen
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND as_of = OLD.as_of
       AND ((snapshot = 'spi' AND EXISTS (SELECT 1 FROM bd_member_spending_power_index p
                 WHERE p.tenant_id = OLD.tenant_id AND p.site_id = OLD.site_id
                   AND p.tenant_member_id = OLD.tenant_member_id
                   AND p.calc_date = bd_customer_snapshot_spend.calc_date))
         OR (snapshot = 'consumption' AND EXISTS (SELECT 1 FROM bd_member_consumption_summary p
                 WHERE p.tenant_id = OLD.tenant_id AND p.site_id = OLD.site_id
                   AND p.tenant_member_id = OLD.tenant_member_id
                   AND p.calc_date = bd_customer_snapshot_spend.calc_date)));
    UPDATE bd_customer_snapshot_spend SET spend_fen = spend_fen + NEW.spend_fen
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND as_of = NEW.as_of
       AND ((snapshot = 'spi' AND EXISTS (SELECT 1 FROM bd_member_spending_power_index p
                 WHERE p.tenant_id = NEW.tenant_id AND p.site_id = NEW.site_id
                   AND p.tenant_member_id = NEW.tenant_member_id
                   AND p.calc_date = bd_customer_snapshot_spend.calc_date))
         OR (snapshot = 'consumption' AND EXISTS (SELECT 1 FROM bd_member_consumption_summary p
                 WHERE p.tenant_id = NEW.tenant_id AND p.site_id = NEW.site_id
                   AND p.tenant_member_id = NEW.tenant_member_id
                   AND p.calc_date = bd_customer_snapshot_spend.calc_date)));
END;

-- A spending-power (D2) row comes in. When it is the first row of its calculation day and that day is now the latest on or
-- before a kept day, the kept day's total for it starts at zero (and the older days' totals go); then the row's
-- member adds its kept spend to every total of its calculation day.
CREATE TRIGGER bd_customer_snapshot_spend_spi_insert AFTER INSERT ON bd_member_spending_power_index
BEGIN
    INSERT INTO bd_customer_snapshot_spend (tenant_id, site_id, as_of, snapshot, calc_date, spend_fen)
    SELECT d.tenant_id, d.site_id, d.as_of, 'spi', NEW.calc_date, 0 FROM bd_customer_rank_days d
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id AND d.as_of >= NEW.calc_date
       AND NOT EXISTS (SELECT 1 FROM bd_customer_snapshot_spend k WHERE k.tenant_id = d.tenant_id
                          AND k.site_id = d.site_id AND k.as_of = d.as_of AND k.snapshot = 'spi'
                          AND k.calc_date = NEW.calc_date)
       AND NOT EXISTS (SELECT 1 FROM bd_member_spending_power_index p WHERE p.tenant_id = NEW.tenant_id
                          AND p.site_id = NEW.site_id AND p.calc_date = NEW.calc_date
                          AND p.tenant_member_id <> NEW.tenant_member_id)
       AND NOT EXISTS (SELECT 1 FROM bd_member_spending_power_index p WHERE p.tenant_id = NEW.tenant_id
                          AND p.site_id = NEW.site_id AND p.calc_date > NEW.calc_date AND p.calc_date <= d.as_of);
    DELETE FROM bd_customer_snapshot_spend
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND snapshot = 'spi' AND calc_date < NEW.calc_date
       AND as_of IN (SELECT k.as_of FROM bd_customer_snapshot_spend k WHERE k.tenant_id = NEW.tenant_id
                        AND k.site_id = NEW.site_id AND k.snapshot = 'spi' AND k.calc_date = NEW.calc_date);
    UPDATE bd_customer_snapshot_spend
       SET spend_fen = spend_fen + COALESCE((SELECT s.spend_fen FROM bd_customer_spend60 s
                                              WHERE s.tenant_id = NEW.tenant_id AND s.site_id = NEW.site_id
                                                AND s.as_of = bd_customer_snapshot_spend.as_of
                                                AND s.tenant_member_id = NEW.tenant_member_id), 0)
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND snapshot = 'spi' AND calc_date = NEW.calc_date;
END;

-- A spending-power (D2) row goes: its member's kept spend leaves the totals of its calculation day (a day left without rows
-- keeps its total, zero, which stays exact).
CREATE TRIGGER bd_customer_snapshot_spend_spi_delete AFTER DELETE ON bd_member_spending_power_index
BEGIN
    UPDATE bd_customer_snapshot_spend
       SET spend_fen = spend_fen - COALESCE((SELECT s.spend_fen FROM bd_customer_spend60 s
                                              WHERE s.tenant_id = OLD.tenant_id AND s.site_id = OLD.site_id
                                                AND s.as_of = bd_customer_snapshot_spend.as_of
                                                AND s.tenant_member_id = OLD.tenant_member_id), 0)
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND snapshot = 'spi' AND calc_date = OLD.calc_date;
END;

-- An update is the old row going and the new one coming (nothing to do when neither its member nor its day moved).
CREATE TRIGGER bd_customer_snapshot_spend_spi_update AFTER UPDATE ON bd_member_spending_power_index
WHEN NEW.tenant_id <> OLD.tenant_id OR NEW.site_id <> OLD.site_id OR NEW.calc_date <> OLD.calc_date
  OR NEW.tenant_member_id <> OLD.tenant_member_id
BEGIN
    UPDATE bd_customer_snapshot_spend
       SET spend_fen = spend_fen - COALESCE((SELECT s.spend_fen FROM bd_customer_spend60 s
                                              WHERE s.tenant_id = OLD.tenant_id AND s.site_id = OLD.site_id
                                                AND s.as_of = bd_customer_snapshot_spend.as_of
                                                AND s.tenant_member_id = OLD.tenant_member_id), 0)
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND snapshot = 'spi' AND calc_date = OLD.calc_date;
    INSERT INTO bd_customer_snapshot_spend (tenant_id, site_id, as_of, snapshot, calc_date, spend_fen)
    SELECT d.tenant_id, d.site_id, d.as_of, 'spi', NEW.calc_date, 0 FROM bd_customer_rank_days d
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id AND d.as_of >= NEW.calc_date
       AND NOT EXISTS (SELECT 1 FROM bd_customer_snapshot_spend k WHERE k.tenant_id = d.tenant_id
                          AND k.site_id = d.site_id AND k.as_of = d.as_of AND k.snapshot = 'spi'
                          AND k.calc_date = NEW.calc_date)
       AND NOT EXISTS (SELECT 1 FROM bd_member_spending_power_index p WHERE p.tenant_id = NEW.tenant_id
                          AND p.site_id = NEW.site_id AND p.calc_date = NEW.calc_date
                          AND p.tenant_member_id <> NEW.tenant_member_id)
       AND NOT EXISTS (SELECT 1 FROM bd_member_spending_power_index p WHERE p.tenant_id = NEW.tenant_id
                          AND p.site_id = NEW.site_id AND p.calc_date > NEW.calc_date AND p.calc_date <= d.as_of);
    DELETE FROM bd_customer_snapshot_spend
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND snapshot = 'spi' AND calc_date < NEW.calc_date
       AND as_of IN (SELECT k.as_of FROM bd_customer_snapshot_spend k WHERE k.tenant_id = NEW.tenant_id
                        AND k.site_id = NEW.site_id AND k.snapshot = 'spi' AND k.calc_date = NEW.calc_date);
    UPDATE bd_customer_snapshot_spend
       SET spend_fen = spend_fen + COALESCE((SELECT s.spend_fen FROM bd_customer_spend60 s
                                              WHERE s.tenant_id = NEW.tenant_id AND s.site_id = NEW.site_id
                                                AND s.as_of = bd_customer_snapshot_spend.as_of
                                                AND s.tenant_member_id = NEW.tenant_member_id), 0)
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND snapshot = 'spi' AND calc_date = NEW.calc_date;
END;

-- A consumption-summary (D7) row comes in. When it is the first row of its calculation day and that day is now the latest on or
-- before a kept day, the kept day's total for it starts at zero (and the older days' totals go); then the row's
-- member adds its kept spend to every total of its calculation day.
CREATE TRIGGER bd_customer_snapshot_spend_cs_insert AFTER INSERT ON bd_member_consumption_summary
BEGIN
    INSERT INTO bd_customer_snapshot_spend (tenant_id, site_id, as_of, snapshot, calc_date, spend_fen)
    SELECT d.tenant_id, d.site_id, d.as_of, 'consumption', NEW.calc_date, 0 FROM bd_customer_rank_days d
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id AND d.as_of >= NEW.calc_date
       AND NOT EXISTS (SELECT 1 FROM bd_customer_snapshot_spend k WHERE k.tenant_id = d.tenant_id
                          AND k.site_id = d.site_id AND k.as_of = d.as_of AND k.snapshot = 'consumption'
                          AND k.calc_date = NEW.calc_date)
       AND NOT EXISTS (SELECT 1 FROM bd_member_consumption_summary p WHERE p.tenant_id = NEW.tenant_id
                          AND p.site_id = NEW.site_id AND p.calc_date = NEW.calc_date
                          AND p.tenant_member_id <> NEW.tenant_member_id)
       AND NOT EXISTS (SELECT 1 FROM bd_member_consumption_summary p WHERE p.tenant_id = NEW.tenant_id
                          AND p.site_id = NEW.site_id AND p.calc_date > NEW.calc_date AND p.calc_date <= d.as_of);
    DELETE FROM bd_customer_snapshot_spend
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND snapshot = 'consumption' AND calc_date < NEW.calc_date
       AND as_of IN (SELECT k.as_of FROM bd_customer_snapshot_spend k WHERE k.tenant_id = NEW.tenant_id
                        AND k.site_id = NEW.site_id AND k.snapshot = 'consumption' AND k.calc_date = NEW.calc_date);
    UPDATE bd_customer_snapshot_spend
       SET spend_fen = spend_fen + COALESCE((SELECT s.spend_fen FROM bd_customer_spend60 s
                                              WHERE s.tenant_id = NEW.tenant_id AND s.site_id = NEW.site_id
                                                AND s.as_of = bd_customer_snapshot_spend.as_of
                                                AND s.tenant_member_id = NEW.tenant_member_id), 0)
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND snapshot = 'consumption' AND calc_date = NEW.calc_date;
END;

-- A consumption-summary (D7) row goes: its member's kept spend leaves the totals of its calculation day (a day left without rows
-- keeps its total, zero, which stays exact).
CREATE TRIGGER bd_customer_snapshot_spend_cs_delete AFTER DELETE ON bd_member_consumption_summary
BEGIN
    UPDATE bd_customer_snapshot_spend
       SET spend_fen = spend_fen - COALESCE((SELECT s.spend_fen FROM bd_customer_spend60 s
                                              WHERE s.tenant_id = OLD.tenant_id AND s.site_id = OLD.site_id
                                                AND s.as_of = bd_customer_snapshot_spend.as_of
                                                AND s.tenant_member_id = OLD.tenant_member_id), 0)
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND snapshot = 'consumption' AND calc_date = OLD.calc_date;
END;

-- An update is the old row going and the new one coming (nothing to do when neither its member nor its day moved).
CREATE TRIGGER bd_customer_snapshot_spend_cs_update AFTER UPDATE ON bd_member_consumption_summary
WHEN NEW.tenant_id <> OLD.tenant_id OR NEW.site_id <> OLD.site_id OR NEW.calc_date <> OLD.calc_date
  OR NEW.tenant_member_id <> OLD.tenant_member_id
BEGIN
    UPDATE bd_customer_snapshot_spend
       SET spend_fen = spend_fen - COALESCE((SELECT s.spend_fen FROM bd_customer_spend60 s
                                              WHERE s.tenant_id = OLD.tenant_id AND s.site_id = OLD.site_id
                                                AND s.as_of = bd_customer_snapshot_spend.as_of
                                                AND s.tenant_member_id = OLD.tenant_member_id), 0)
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND snapshot = 'consumption' AND calc_date = OLD.calc_date;
    INSERT INTO bd_customer_snapshot_spend (tenant_id, site_id, as_of, snapshot, calc_date, spend_fen)
    SELECT d.tenant_id, d.site_id, d.as_of, 'consumption', NEW.calc_date, 0 FROM bd_customer_rank_days d
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id AND d.as_of >= NEW.calc_date
       AND NOT EXISTS (SELECT 1 FROM bd_customer_snapshot_spend k WHERE k.tenant_id = d.tenant_id
                          AND k.site_id = d.site_id AND k.as_of = d.as_of AND k.snapshot = 'consumption'
                          AND k.calc_date = NEW.calc_date)
       AND NOT EXISTS (SELECT 1 FROM bd_member_consumption_summary p WHERE p.tenant_id = NEW.tenant_id
                          AND p.site_id = NEW.site_id AND p.calc_date = NEW.calc_date
                          AND p.tenant_member_id <> NEW.tenant_member_id)
       AND NOT EXISTS (SELECT 1 FROM bd_member_consumption_summary p WHERE p.tenant_id = NEW.tenant_id
                          AND p.site_id = NEW.site_id AND p.calc_date > NEW.calc_date AND p.calc_date <= d.as_of);
    DELETE FROM bd_customer_snapshot_spend
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND snapshot = 'consumption' AND calc_date < NEW.calc_date
       AND as_of IN (SELECT k.as_of FROM bd_customer_snapshot_spend k WHERE k.tenant_id = NEW.tenant_id
                        AND k.site_id = NEW.site_id AND k.snapshot = 'consumption' AND k.calc_date = NEW.calc_date);
    UPDATE bd_customer_snapshot_spend
       SET spend_fen = spend_fen + COALESCE((SELECT s.spend_fen FROM bd_customer_spend60 s
                                              WHERE s.tenant_id = NEW.tenant_id AND s.site_id = NEW.site_id
                                                AND s.as_of = bd_customer_snapshot_spend.as_of
                                                AND s.tenant_member_id = NEW.tenant_member_id), 0)
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND snapshot = 'consumption' AND calc_date = NEW.calc_date;
END;

-- The recharge tab (D4) of a kept day with its default period (the last 30 days: period_from to as_of): each
-- member's valid orders (not voided, not refunded) added up, so that the tab's page is the rank index's first
-- entries. Any other period is grouped from the orders as before. Any write to a member's valid orders derives the
-- member's rows again from them (a handful of rows read through bd_ro_by_member).
CREATE TABLE bd_customer_recharge (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, as_of TEXT NOT NULL,
    tenant_member_id INTEGER NOT NULL,
    pay_fen INTEGER NOT NULL, order_count INTEGER NOT NULL, gift_fen INTEGER NOT NULL, last_pay_ms INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, as_of, tenant_member_id)
) WITHOUT ROWID;
CREATE INDEX bd_customer_recharge_rank ON bd_customer_recharge (tenant_id, site_id, as_of, pay_fen DESC,
                                                               tenant_member_id, order_count, gift_fen, last_pay_ms);

INSERT INTO bd_customer_recharge (tenant_id, site_id, as_of, tenant_member_id, pay_fen, order_count, gift_fen,
                                  last_pay_ms)
SELECT d.tenant_id, d.site_id, d.as_of, o.tenant_member_id, SUM(o.pay_amount_fen), COUNT(*), SUM(o.gift_amount_fen),
       MAX(o.pay_time)
  FROM bd_customer_rank_days d
  JOIN bd_recharge_order o ON o.tenant_id = d.tenant_id AND o.site_id = d.site_id AND o.is_delete = 0
   AND o.refund_amount_fen = 0 AND o.biz_date BETWEEN d.period_from AND d.as_of
 GROUP BY d.tenant_id, d.site_id, d.as_of, o.tenant_member_id;

-- The tab's other figures over any period, from the index alone: the previous period's valid total and the
-- period's refunds (is_delete and refund_amount_fen are columns too: SQLite 3.40 reads a partial index alone only
-- when it holds every column the query names).
CREATE INDEX bd_ro_valid_by_day ON bd_recharge_order (tenant_id, site_id, biz_date, tenant_member_id, pay_amount_fen,
                                                     is_delete, refund_amount_fen)
    WHERE is_delete = 0 AND refund_amount_fen = 0;
CREATE INDEX bd_ro_refunds_by_day ON bd_recharge_order (tenant_id, site_id, biz_date, tenant_member_id,
                                                       refund_amount_fen, is_delete)
    WHERE is_delete = 0 AND refund_amount_fen > 0;

-- A valid order comes, goes, or changes (an update: the old member's rows, then the new member's, each only when
-- that side is valid; the same member twice is harmless): the member's rows of the kept days whose period holds the
-- order's day are derived again.
CREATE TRIGGER bd_customer_recharge_insert AFTER INSERT ON bd_recharge_order
WHEN NEW.is_delete = 0 AND NEW.refund_amount_fen = 0
BEGIN
    DELETE FROM bd_customer_recharge
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND tenant_member_id = NEW.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = NEW.tenant_id
                        AND site_id = NEW.site_id AND NEW.biz_date BETWEEN period_from AND as_of);
    INSERT INTO bd_customer_recharge (tenant_id, site_id, as_of, tenant_member_id, pay_fen, order_count, gift_fen,
                                      last_pay_ms)
    SELECT d.tenant_id, d.site_id, d.as_of, o.tenant_member_id, SUM(o.pay_amount_fen), COUNT(*),
           SUM(o.gift_amount_fen), MAX(o.pay_time)
      FROM bd_customer_rank_days d
      JOIN bd_recharge_order o ON o.tenant_id = d.tenant_id AND o.site_id = d.site_id
       AND o.tenant_member_id = NEW.tenant_member_id AND o.is_delete = 0 AND o.refund_amount_fen = 0
       AND o.biz_date BETWEEN d.period_from AND d.as_of
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id AND NEW.biz_date BETWEEN d.period_from AND d.as_of
     GROUP BY d.as_of;
END;

CREATE TRIGGER bd_customer_recharge_delete AFTER DELETE ON bd_recharge_order
WHEN OLD.is_delete = 0 AND OLD.refund_amount_fen = 0
BEGIN
    DELETE FROM bd_customer_recharge
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND tenant_member_id = OLD.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = OLD.tenant_id
                        AND site_id = OLD.site_id AND OLD.biz_date BETWEEN period_from AND as_of);
    INSERT INTO bd_customer_recharge (tenant_id, site_id, as_of, tenant_member_id, pay_fen, order_count, gift_fen,
                                      last_pay_ms)
    SELECT d.tenant_id, d.site_id, d.as_of, o.tenant_member_id, SUM(o.pay_amount_fen), COUNT(*),
           SUM(o.gift_amount_fen), MAX(o.pay_time)
      FROM bd_customer_rank_days d
      JOIN bd_recharge_order o ON o.tenant_id = d.tenant_id AND o.site_id = d.site_id
       AND o.tenant_member_id = OLD.tenant_member_id AND o.is_delete = 0 AND o.refund_amount_fen = 0
       AND o.biz_date BETWEEN d.period_from AND d.as_of
     WHERE d.tenant_id = OLD.tenant_id AND d.site_id = OLD.site_id AND OLD.biz_date BETWEEN d.period_from AND d.as_of
     GROUP BY d.as_of;
END;

CREATE TRIGGER bd_customer_recharge_update_old AFTER UPDATE ON bd_recharge_order
WHEN OLD.is_delete = 0 AND OLD.refund_amount_fen = 0
BEGIN
    DELETE FROM bd_customer_recharge
     WHERE tenant_id = OLD.tenant_id AND site_id = OLD.site_id AND tenant_member_id = OLD.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = OLD.tenant_id
                        AND site_id = OLD.site_id AND OLD.biz_date BETWEEN period_from AND as_of);
    INSERT INTO bd_customer_recharge (tenant_id, site_id, as_of, tenant_member_id, pay_fen, order_count, gift_fen,
                                      last_pay_ms)
    SELECT d.tenant_id, d.site_id, d.as_of, o.tenant_member_id, SUM(o.pay_amount_fen), COUNT(*),
           SUM(o.gift_amount_fen), MAX(o.pay_time)
      FROM bd_customer_rank_days d
      JOIN bd_recharge_order o ON o.tenant_id = d.tenant_id AND o.site_id = d.site_id
       AND o.tenant_member_id = OLD.tenant_member_id AND o.is_delete = 0 AND o.refund_amount_fen = 0
       AND o.biz_date BETWEEN d.period_from AND d.as_of
     WHERE d.tenant_id = OLD.tenant_id AND d.site_id = OLD.site_id AND OLD.biz_date BETWEEN d.period_from AND d.as_of
     GROUP BY d.as_of;
END;

CREATE TRIGGER bd_customer_recharge_update_new AFTER UPDATE ON bd_recharge_order
WHEN NEW.is_delete = 0 AND NEW.refund_amount_fen = 0
BEGIN
    DELETE FROM bd_customer_recharge
     WHERE tenant_id = NEW.tenant_id AND site_id = NEW.site_id AND tenant_member_id = NEW.tenant_member_id
       AND as_of IN (SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = NEW.tenant_id
                        AND site_id = NEW.site_id AND NEW.biz_date BETWEEN period_from AND as_of);
    INSERT INTO bd_customer_recharge (tenant_id, site_id, as_of, tenant_member_id, pay_fen, order_count, gift_fen,
                                      last_pay_ms)
    SELECT d.tenant_id, d.site_id, d.as_of, o.tenant_member_id, SUM(o.pay_amount_fen), COUNT(*),
           SUM(o.gift_amount_fen), MAX(o.pay_time)
      FROM bd_customer_rank_days d
      JOIN bd_recharge_order o ON o.tenant_id = d.tenant_id AND o.site_id = d.site_id
       AND o.tenant_member_id = NEW.tenant_member_id AND o.is_delete = 0 AND o.refund_amount_fen = 0
       AND o.biz_date BETWEEN d.period_from AND d.as_of
     WHERE d.tenant_id = NEW.tenant_id AND d.site_id = NEW.site_id AND NEW.biz_date BETWEEN d.period_from AND d.as_of
     GROUP BY d.as_of;
END;

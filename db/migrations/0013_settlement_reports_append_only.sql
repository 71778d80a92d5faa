-- A settlement report is frozen when made: a later version supersedes it, nothing changes or removes it.
CREATE TRIGGER settlement_reports_append_only BEFORE UPDATE OR DELETE ON settlement_reports
  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only();

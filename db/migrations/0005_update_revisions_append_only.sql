-- Earlier versions of published updates are history: never changed, never removed.
CREATE TRIGGER project_update_revisions_append_only BEFORE UPDATE OR DELETE ON project_update_revisions
  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only();

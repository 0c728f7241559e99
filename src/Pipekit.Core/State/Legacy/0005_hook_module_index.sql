-- Module listings read the hooks of a page of modules by module id range; without an index that read
-- scanned every hook.
CREATE INDEX hook_module ON hook (module_id, run_order, id);

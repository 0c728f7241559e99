-- Datasets a Sync run registers (a module with a Parquet destination) say so: source 'sync', and module names the module
-- that owns them (its runs register and refresh the dataset).
ALTER TABLE dataset DROP CONSTRAINT dataset_source_check;
ALTER TABLE dataset ADD CONSTRAINT dataset_source_check CHECK (source IN ('api', 'catalog', 'sync'));
ALTER TABLE dataset ADD COLUMN module TEXT;
ALTER TABLE dataset ADD CONSTRAINT dataset_module_check CHECK ((source = 'sync') = (module IS NOT NULL));

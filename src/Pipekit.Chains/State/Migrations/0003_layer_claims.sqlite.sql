-- Chains: claims on layers, so that no node's GC drops a layer between a run finding it and cloning from it.
-- A run claims a layer (holder = that run) in the transaction that checks, with the layer row locked, that the row
-- still exists; GC deletes a layer's row (and only then drops its database) in a transaction that locks the row and
-- finds no unexpired claim and no unfinished job standing on it. The lock orders the two, so either the run sees
-- the layer gone and looks for a shorter prefix, or GC sees the claim and keeps the layer. A run releases its
-- claims once its instance is cloned; a claim of a process that died lapses at expires_at.
CREATE TABLE chain_layer_claim (
    layer_id   INTEGER NOT NULL,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (layer_id, holder)
);
CREATE INDEX chain_layer_claim_holder ON chain_layer_claim (holder);

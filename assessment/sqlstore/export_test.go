package sqlstore

import "context"

// Pragma returns the value of PRAGMA name on a connection of the write pool (read false) or
// the read pool (read true), so tests can check that the DSN parameters took effect.
func Pragma(ctx context.Context, db *DB, read bool, name string) (string, error) {
	pool := db.write
	if read {
		pool = db.read
	}
	var v string
	err := pool.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// PoolLimits returns the maximum open connections of the write and read pools, so tests can
// check that writers are serialized in Go rather than on the file lock.
func PoolLimits(db *DB) (write, read int) {
	return db.write.Stats().MaxOpenConnections, db.read.Stats().MaxOpenConnections
}

// SetRetentionBatch makes RemoveOlderThan delete results n at a time until the test ends.
func SetRetentionBatch(t interface{ Cleanup(func()) }, n int) {
	old := retentionBatch
	retentionBatch = n
	t.Cleanup(func() { retentionBatch = old })
}

// SetAfterPlan makes f run in MakeRelease between planning and storing the release.
func SetAfterPlan(db *DB, f func()) { db.afterPlan = f }

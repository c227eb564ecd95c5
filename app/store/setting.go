package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/roundtablehq/roundtable/app"
)

// Setting reads the named setting into v. A setting never saved is ENOTFOUND,
// and v is left as it was, so callers can fill v with defaults first.
func (db *DB) Setting(ctx context.Context, key string, v any) error {
	var raw string
	err := db.rdb.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Errorf(app.ENOTFOUND, "The setting %s has not been saved yet.", key)
	}
	if err != nil {
		return dbError(err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return app.Wrap(app.EDAMAGED, err, "The saved setting %s could not be read", key)
	}
	return nil
}

// SaveSetting stores v as the named setting.
func (db *DB) SaveSetting(ctx context.Context, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return app.Wrap(app.EINTERNAL, err, "The setting %s could not be saved", key)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.exec(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, string(raw), db.now()); err != nil {
		return dbError(err)
	}
	return commit(tx)
}

package store

import (
	"context"
	"strings"

	"github.com/roundtablehq/roundtable/app"
)

// AddPostAttachment attaches a file to a draft. It refuses a file that would take
// the post's attachments past app.AttachmentLimitBytes.
func (db *DB) AddPostAttachment(ctx context.Context, postID int64, filename, contentType string, data []byte) (app.PostAttachment, error) {
	filename = strings.TrimSpace(filename)
	tx, err := db.begin(ctx)
	if err != nil {
		return app.PostAttachment{}, err
	}
	defer tx.Rollback()
	p, err := findPost(tx, postID)
	if err != nil {
		return app.PostAttachment{}, err
	}
	if p.Status != app.PostDraft {
		return app.PostAttachment{}, app.Errorf(app.ECONFLICT, "This announcement is already queued, so files can no longer be attached.")
	}
	if err := attachmentFits(tx, "SELECT coalesce(sum(size), 0) FROM post_attachments WHERE post_id = ?", postID, filename, len(data)); err != nil {
		return app.PostAttachment{}, err
	}
	res, err := tx.exec(`INSERT INTO post_attachments (post_id, filename, content_type, size, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, postID, filename, contentType, len(data), data, db.now())
	if err != nil {
		return app.PostAttachment{}, dbError(err)
	}
	id, _ := res.LastInsertId()
	return app.PostAttachment{ID: id, PostID: postID, Filename: filename, ContentType: contentType, Size: int64(len(data))}, commit(tx)
}

// attachmentFits refuses a file without a name, or one that would take the
// files already attached (their total size by sumQuery, of id) past
// app.AttachmentLimitBytes.
func attachmentFits(tx *tx, sumQuery string, id int64, filename string, size int) error {
	if filename == "" {
		return app.Errorf(app.EINVALID, "The file needs a name.")
	}
	var total int64
	if err := tx.queryRow(sumQuery, id).Scan(&total); err != nil {
		return dbError(err)
	}
	if total+int64(size) > app.AttachmentLimitBytes {
		return app.Errorf(app.EINVALID, "%s would take the attachments past 20 MB, more than many mail providers accept. Share a link to the file instead.", filename)
	}
	return nil
}

// RemovePostAttachment removes a file from a draft.
func (db *DB) RemovePostAttachment(ctx context.Context, id int64) error {
	n, err := db.execCount(ctx, `DELETE FROM post_attachments WHERE id = ?
		AND post_id IN (SELECT id FROM posts WHERE status = 'draft')`, id)
	if err == nil && n == 0 {
		return app.Errorf(app.ECONFLICT, "That file is not attached to a draft (it may be gone, or the announcement is queued).")
	}
	return err
}

// PostAttachments lists a post's files without their bytes.
func (db *DB) PostAttachments(ctx context.Context, postID int64) ([]app.PostAttachment, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT id, post_id, filename, content_type, size FROM post_attachments
		WHERE post_id = ? ORDER BY id`, postID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.PostAttachment{}
	for rows.Next() {
		var a app.PostAttachment
		if err := rows.Scan(&a.ID, &a.PostID, &a.Filename, &a.ContentType, &a.Size); err != nil {
			return nil, dbError(err)
		}
		out = append(out, a)
	}
	return out, dbError(rows.Err())
}

// PostAttachmentData returns a post's files with their bytes, for sending.
func (db *DB) PostAttachmentData(ctx context.Context, postID int64) ([]app.PostAttachment, [][]byte, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT id, post_id, filename, content_type, size, data FROM post_attachments
		WHERE post_id = ? ORDER BY id`, postID)
	if err != nil {
		return nil, nil, dbError(err)
	}
	defer rows.Close()
	var metas []app.PostAttachment
	var datas [][]byte
	for rows.Next() {
		var a app.PostAttachment
		var d []byte
		if err := rows.Scan(&a.ID, &a.PostID, &a.Filename, &a.ContentType, &a.Size, &d); err != nil {
			return nil, nil, dbError(err)
		}
		metas, datas = append(metas, a), append(datas, d)
	}
	return metas, datas, dbError(rows.Err())
}

//! Backups of MariaDB/MySQL databases: not written yet.

use crate::backup::BackupError;
use crate::config::DatabaseUrl;

/// The refusal of a backup or restore: there is no MariaDB/MySQL backup yet.
pub(super) fn not_yet(url: &DatabaseUrl) -> BackupError {
    BackupError::BadUrl {
        url: url.redacted(),
        reason: "backups of MariaDB/MySQL databases are not supported yet; \
                 run mariadb-dump (or mysqldump) before migrating"
            .to_string(),
    }
}

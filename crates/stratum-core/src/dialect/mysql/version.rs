//! Which server the SQL is written for: MariaDB or MySQL, and its version. Every
//! feature that only some servers have is decided here.

use std::fmt;

/// The two servers that speak the MySQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// MariaDB (10.x and 11.x).
    MariaDb,
    /// MySQL (8.0 and later).
    Mysql,
}

/// A server version: `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerVersion {
    /// Major version.
    pub major: u32,
    /// Minor version.
    pub minor: u32,
    /// Patch version.
    pub patch: u32,
}

impl ServerVersion {
    /// `major.minor.patch`.
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Whether this version is `major.minor.patch` or later.
    pub fn at_least(self, major: u32, minor: u32, patch: u32) -> bool {
        self >= ServerVersion::new(major, minor, patch)
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// A server: its flavour and version, and what it can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Server {
    /// MariaDB or MySQL.
    pub flavour: Flavour,
    /// The server's version.
    pub version: ServerVersion,
}

impl Server {
    /// Whether the server is MariaDB at `major.minor.patch` or later.
    fn mariadb(self, major: u32, minor: u32, patch: u32) -> bool {
        self.flavour == Flavour::MariaDb && self.version.at_least(major, minor, patch)
    }

    /// Whether the server is MySQL at `major.minor.patch` or later.
    fn mysql(self, major: u32, minor: u32, patch: u32) -> bool {
        self.flavour == Flavour::Mysql && self.version.at_least(major, minor, patch)
    }

    /// CHECK constraints are enforced (MariaDB 10.2.1+, MySQL 8.0.16+; older
    /// servers parse and ignore them).
    pub fn check_constraints(self) -> bool {
        self.mariadb(10, 2, 1) || self.mysql(8, 0, 16)
    }

    /// `ALTER TABLE ... RENAME COLUMN` exists (MariaDB 10.5.2+, MySQL 8.0+).
    pub fn rename_column(self) -> bool {
        self.mariadb(10, 5, 2) || self.mysql(8, 0, 0)
    }

    /// A default may be an expression in parentheses (MariaDB 10.2.1+, MySQL
    /// 8.0.13+); before, only literals and `CURRENT_TIMESTAMP`.
    pub fn expression_defaults(self) -> bool {
        self.mariadb(10, 2, 1) || self.mysql(8, 0, 13)
    }

    /// An index key may be an expression (MySQL 8.0.13+; MariaDB indexes a
    /// generated column instead).
    pub fn functional_indexes(self) -> bool {
        self.mysql(8, 0, 13)
    }

    /// A CHECK constraint is dropped with `DROP CHECK` (MySQL) rather than
    /// `DROP CONSTRAINT` (MariaDB).
    pub fn drop_check_keyword(self) -> bool {
        self.flavour == Flavour::Mysql
    }

    /// `CREATE INDEX IF NOT EXISTS`, `DROP INDEX IF EXISTS` and the column forms
    /// exist besides the table forms (MariaDB 10.1.4+; MySQL has them for tables
    /// only).
    pub fn if_exists(self) -> bool {
        self.mariadb(10, 1, 4)
    }

    /// Standalone sequences exist (MariaDB 10.3+; MySQL has none).
    pub fn sequences(self) -> bool {
        self.mariadb(10, 3, 0)
    }

    /// A native `uuid` column type exists (MariaDB 10.7+); elsewhere a UUID is
    /// `char(36)`.
    pub fn uuid_type(self) -> bool {
        self.mariadb(10, 7, 0)
    }

    /// A native `json` type exists (MySQL); MariaDB's `json` is `longtext` with a
    /// `json_valid` check.
    pub fn native_json(self) -> bool {
        self.flavour == Flavour::Mysql
    }

    /// A `TEXT`/`BLOB`/`JSON` column may have a literal default only as an
    /// expression in parentheses (MySQL); MariaDB takes the literal itself.
    pub fn text_default_needs_parentheses(self) -> bool {
        self.flavour == Flavour::Mysql
    }

    /// `ALTER TABLE ... ALGORITHM=INSTANT` exists (MariaDB 10.3+, MySQL 8.0.12+).
    pub fn instant_alter(self) -> bool {
        self.mariadb(10, 3, 0) || self.mysql(8, 0, 12)
    }

    /// `ALTER TABLE ... ALGORITHM=NOCOPY` exists (MariaDB 10.3+; MySQL has none).
    pub fn nocopy_alter(self) -> bool {
        self.mariadb(10, 3, 0)
    }
}

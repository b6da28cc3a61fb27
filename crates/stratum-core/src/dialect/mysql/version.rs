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

impl fmt::Display for Flavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flavour::MariaDb => "MariaDB",
            Flavour::Mysql => "MySQL",
        })
    }
}

/// `MariaDB 10.11.6`, `MySQL 8.0.36`.
impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.flavour, self.version)
    }
}

impl Server {
    /// The server a version text names, as `SELECT VERSION()` answers it
    /// (`10.11.6-MariaDB-0+deb12u1`, `8.0.36`) or as a user writes it (`8.0`,
    /// `10.6.0-MariaDB`): MariaDB when the text says so, else `flavour`. Missing
    /// minor and patch numbers are 0. `None` when the text does not start with a
    /// number.
    pub fn parse(text: &str, flavour: Flavour) -> Option<Server> {
        let text = text.trim();
        if !text.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let flavour = if text.to_ascii_lowercase().contains("mariadb") {
            Flavour::MariaDb
        } else {
            flavour
        };
        let numbers = text
            .split(|c: char| !c.is_ascii_digit() && c != '.')
            .next()
            .unwrap_or_default();
        let mut parts = numbers.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let version = ServerVersion::new(
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
        Some(Server { flavour, version })
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_texts_name_flavour_and_numbers() {
        let m = Server::parse("10.11.6-MariaDB-0+deb12u1", Flavour::Mysql).unwrap();
        assert_eq!(m.to_string(), "MariaDB 10.11.6");
        let y = Server::parse("8.0.36", Flavour::Mysql).unwrap();
        assert_eq!(y.to_string(), "MySQL 8.0.36");
        let short = Server::parse("10.6", Flavour::MariaDb).unwrap();
        assert_eq!(short.to_string(), "MariaDB 10.6.0");
        let log = Server::parse("8.0.36-log", Flavour::Mysql).unwrap();
        assert_eq!(log.to_string(), "MySQL 8.0.36");
        assert_eq!(Server::parse("latest", Flavour::Mysql), None);
        assert_eq!(Server::parse("", Flavour::Mysql), None);
    }
}

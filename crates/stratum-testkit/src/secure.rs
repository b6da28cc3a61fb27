//! Throwaway clusters that ask for what production asks: scram-sha-256 passwords
//! over TCP, and TLS with certificates made by the test (openssl CLI). Each kind
//! starts at most once per test process and is removed when the process exits.
//!
//! Every kind has the roles [`APP_USER`] and [`ODD_USER`] (both with password
//! [`PASSWORD`]) and [`CERT_USER`] (password and client certificate), and a
//! database [`DATABASE`] they own. The superuser `postgres` logs in only over the
//! cluster's Unix socket ([`SecureCluster::admin_url`]).

use crate::cluster::{
    find_bin_dir, find_program, free_port, hand_to_postgres, run_script, running_as_root,
};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Mutex, OnceLock};

/// A plain role name.
pub const APP_USER: &str = "app";
/// A role name with every character a URL must encode.
pub const ODD_USER: &str = "o@d:d/u%s#e!r";
/// The role that must also present a client certificate.
pub const CERT_USER: &str = "certuser";
/// The password of every role: every character a URL must encode.
pub const PASSWORD: &str = "p@ss:w/o%r#d!";
/// The database the roles own.
pub const DATABASE: &str = "appdb";

/// What a cluster offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// TLS with a server certificate signed by [`Certs::ca`], for `localhost`
    /// and `127.0.0.1`; listens on 127.0.0.1 and 127.0.0.2 (a name the
    /// certificate does not have). Only TLS connections are accepted, and
    /// [`CERT_USER`] must present a client certificate signed by the CA.
    Tls,
    /// TLS with a self-signed CA certificate as the server's own certificate.
    SelfSigned,
    /// No TLS at all; passwords over plain TCP.
    Plain,
}

/// The certificates made for the clusters (PEM files).
#[derive(Debug, Clone)]
pub struct Certs {
    /// The CA that signed the server and client certificates.
    pub ca: PathBuf,
    /// Another CA, which signed nothing the server shows.
    pub wrong_ca: PathBuf,
    /// The self-signed server certificate of [`Kind::SelfSigned`] (its own root).
    pub self_signed: PathBuf,
    /// The client certificate for [`CERT_USER`].
    pub client_cert: PathBuf,
    /// Its key (mode 0600).
    pub client_key: PathBuf,
}

/// A running cluster.
#[derive(Debug)]
pub struct SecureCluster {
    /// The TCP port.
    pub port: u16,
    /// The certificates.
    pub certs: Certs,
    /// A superuser URL over the cluster's Unix socket.
    pub admin_url: String,
    _guard: Mutex<Child>,
}

impl SecureCluster {
    /// `postgresql://USER:PASSWORD@HOST:PORT/appdb?QUERY`, user and password
    /// percent-encoded.
    pub fn url(&self, user: &str, password: Option<&str>, host: &str, query: &str) -> String {
        let enc = |s: &str| {
            s.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        };
        let auth = match password {
            Some(p) => format!("{}:{}", enc(user), enc(p)),
            None => enc(user),
        };
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!("postgresql://{auth}@{host}:{}/{DATABASE}{query}", self.port)
    }
}

static CLUSTERS: OnceLock<Mutex<Vec<(Kind, &'static SecureCluster)>>> = OnceLock::new();

/// The cluster of that kind, started on first use; `None` (with the reason
/// printed) when PostgreSQL binaries or openssl are missing.
pub fn secure_cluster(kind: Kind) -> Option<&'static SecureCluster> {
    let all = CLUSTERS.get_or_init(|| Mutex::new(Vec::new()));
    let mut all = all.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, c)) = all.iter().find(|(k, _)| *k == kind) {
        return Some(c);
    }
    match start(kind) {
        Ok(c) => {
            let c: &'static SecureCluster = Box::leak(Box::new(c));
            all.push((kind, c));
            Some(c)
        }
        Err(e) => {
            if crate::is_ci() {
                panic!("cannot start a {kind:?} test cluster: {e}");
            }
            eprintln!("note: no {kind:?} test cluster: {e}");
            None
        }
    }
}

fn openssl(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run openssl: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "openssl {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

const EC: &[&str] = &[
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
];

fn self_signed(dir: &Path, name: &str, subject: &str, extra: &[&str]) -> Result<(), String> {
    let key = format!("{name}.key");
    let crt = format!("{name}.crt");
    let mut args = vec!["req", "-x509"];
    args.extend_from_slice(EC);
    args.extend_from_slice(&[
        "-keyout", &key, "-out", &crt, "-days", "3", "-subj", subject,
    ]);
    args.extend_from_slice(&["-addext", "basicConstraints=critical,CA:TRUE"]);
    args.extend_from_slice(extra);
    openssl(dir, &args)
}

fn signed(dir: &Path, name: &str, subject: &str, ext: &str) -> Result<(), String> {
    let (key, csr, crt, extfile) = (
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("{name}.crt"),
        format!("{name}.ext"),
    );
    std::fs::write(dir.join(&extfile), ext).map_err(|e| e.to_string())?;
    let mut args = vec!["req"];
    args.extend_from_slice(EC);
    args.extend_from_slice(&["-keyout", &key, "-out", &csr, "-subj", subject]);
    openssl(dir, &args)?;
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            &crt,
            "-days",
            "3",
            "-extfile",
            &extfile,
        ],
    )
}

fn make_certs(dir: &Path) -> Result<Certs, String> {
    self_signed(dir, "ca", "/CN=stratum test CA", &[])?;
    self_signed(dir, "wrong_ca", "/CN=stratum other CA", &[])?;
    self_signed(
        dir,
        "self_signed",
        "/CN=localhost",
        &["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
    )?;
    signed(
        dir,
        "server",
        "/CN=localhost",
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )?;
    signed(
        dir,
        "client",
        &format!("/CN={CERT_USER}"),
        "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
    )?;
    Ok(Certs {
        ca: dir.join("ca.crt"),
        wrong_ca: dir.join("wrong_ca.crt"),
        self_signed: dir.join("self_signed.crt"),
        client_cert: dir.join("client.crt"),
        client_key: dir.join("client.key"),
    })
}

const SCRIPT: &str = r#"
set -e
bin="$1"; dir="$2"; port="$3"
cleanup() { "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
"$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
cp "$dir/pg_hba.conf" "$dir/data/pg_hba.conf"
cat "$dir/extra.conf" >> "$dir/data/postgresql.conf"
"$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q -f "$dir/setup.sql" >/dev/null
echo ready
read _ || true
"#;

fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn start(kind: Kind) -> Result<SecureCluster, String> {
    let bin = find_bin_dir().ok_or("no initdb/pg_ctl on PATH or under /usr/lib/postgresql")?;
    find_program("openssl").ok_or("no openssl to make test certificates")?;
    let port = free_port()?;
    let dir = tempfile::Builder::new()
        .prefix("stratum_pgtls_")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?
        .keep();
    let certs = make_certs(&dir)?;
    let (ssl, hba) = match kind {
        Kind::Tls => (
            "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'ca.crt'\nlisten_addresses = '127.0.0.1,127.0.0.2'\n",
            format!(
                "local all all trust\nhostssl all {CERT_USER} 127.0.0.0/8 scram-sha-256 clientcert=verify-full\nhostssl all all 127.0.0.0/8 scram-sha-256\n"
            ),
        ),
        Kind::SelfSigned => (
            "ssl = on\nssl_cert_file = 'self_signed.crt'\nssl_key_file = 'self_signed.key'\nlisten_addresses = '127.0.0.1'\n",
            "local all all trust\nhostssl all all 127.0.0.0/8 scram-sha-256\n".to_string(),
        ),
        Kind::Plain => (
            "ssl = off\nlisten_addresses = '127.0.0.1'\n",
            "local all all trust\nhost all all 127.0.0.0/8 scram-sha-256\n".to_string(),
        ),
    };
    let data_files = |f: &str| format!("'{}'", dir.join(f).display());
    let ssl = ssl
        .replace("'server.crt'", &data_files("server.crt"))
        .replace("'server.key'", &data_files("server.key"))
        .replace("'ca.crt'", &data_files("ca.crt"))
        .replace("'self_signed.crt'", &data_files("self_signed.crt"))
        .replace("'self_signed.key'", &data_files("self_signed.key"));
    std::fs::write(dir.join("extra.conf"), ssl).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("pg_hba.conf"), hba).map_err(|e| e.to_string())?;
    let mut sql = String::from("SET password_encryption = 'scram-sha-256';\n");
    for user in [APP_USER, ODD_USER, CERT_USER] {
        sql.push_str(&format!(
            "CREATE ROLE \"{user}\" LOGIN PASSWORD {};\n",
            quote_literal(PASSWORD)
        ));
    }
    sql.push_str(&format!(
        "CREATE DATABASE {DATABASE} OWNER \"{APP_USER}\";\n"
    ));
    sql.push_str(&format!("GRANT ALL ON DATABASE {DATABASE} TO PUBLIC;\n"));
    std::fs::write(dir.join("setup.sql"), sql).map_err(|e| e.to_string())?;
    let as_root = running_as_root();
    hand_to_postgres(&dir, as_root)?;
    for key in ["server.key", "self_signed.key", "client.key", "ca.key"] {
        use std::os::unix::fs::PermissionsExt as _;
        let _ = std::fs::set_permissions(dir.join(key), std::fs::Permissions::from_mode(0o600));
    }
    let child = run_script(SCRIPT, as_root, &bin, &dir, port, &[])?;
    Ok(SecureCluster {
        port,
        certs,
        admin_url: format!(
            "postgresql://postgres@localhost/{DATABASE}?host={}&port={port}",
            dir.display()
        ),
        _guard: Mutex::new(child),
    })
}

//! TLS as libpq does it: which certificates to trust for each `sslmode`, the
//! client certificate, a root certificate that is also the server's own
//! certificate, and key shares the server accepts on the first try.

use super::errors::FrontError;
use super::params::{FrontParams, RootCerts, SslMode};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files where the system keeps its trusted roots, first found wins.
const SYSTEM_ROOT_FILES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

/// What the verifier checks.
#[derive(Debug)]
struct Trust {
    store: RootCertStore,
    roots: Vec<CertificateDer<'static>>,
    check_name: bool,
}

/// Verifies the server's certificate the way libpq does for the mode.
#[derive(Debug)]
struct PgVerifier {
    trust: Option<Trust>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PgVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(trust) = &self.trust else {
            return Ok(ServerCertVerified::assertion());
        };
        let cert = ParsedCertificate::try_from(end_entity)?;
        // A certificate listed among the roots is trusted as it is, even when it
        // is a CA certificate (a self-signed server certificate used as its own
        // root), as OpenSSL and so libpq accept it.
        let own_root = trust
            .roots
            .iter()
            .any(|r| r.as_ref() == end_entity.as_ref());
        if !own_root {
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                &trust.store,
                intermediates,
                now,
                self.provider.signature_verification_algorithms.all,
            )?;
        }
        if trust.check_name {
            verify_server_name(&cert, server_name)?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The TLS settings of one connection.
pub struct TlsSetup {
    /// The client configuration.
    pub config: Arc<rustls::ClientConfig>,
    /// The name checked against the certificate (and sent as SNI for host names).
    pub server_name: ServerName<'static>,
    /// Where the trusted roots came from, for messages.
    pub roots_from: Option<String>,
}

/// `~/.postgresql/<file>`.
fn home_file(file: &str) -> Option<PathBuf> {
    std::env::var_os("HOME").map(|h| Path::new(&h).join(".postgresql").join(file))
}

fn read_certs(what: &'static str, path: &Path) -> Result<Vec<CertificateDer<'static>>, FrontError> {
    let file_error = |detail: String| FrontError::CertificateFile {
        what,
        path: path.to_path_buf(),
        detail,
    };
    let bytes = std::fs::read(path).map_err(|e| {
        file_error(if e.kind() == std::io::ErrorKind::NotFound {
            "does not exist; give the right path in sslrootcert/sslcert, or use sslmode=require to skip certificate checks".to_string()
        } else {
            format!("cannot be read ({e}); check its permissions")
        })
    })?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| file_error(format!("is not valid PEM ({e})")))?;
    if certs.is_empty() {
        return Err(file_error(
            "holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_string(),
        ));
    }
    Ok(certs)
}

fn trust(p: &FrontParams) -> Result<(Option<Trust>, Option<String>), FrontError> {
    let verify = matches!(p.ssl_mode, SslMode::VerifyCa | SslMode::VerifyFull);
    let file = match &p.root_cert {
        Some(RootCerts::System) => {
            let env = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
            let found = env
                .into_iter()
                .chain(SYSTEM_ROOT_FILES.iter().map(PathBuf::from))
                .find(|f| f.is_file());
            Some(found.ok_or_else(|| {
                FrontError::CertificateFile {
                    what: "system root certificate store",
                    path: PathBuf::from(SYSTEM_ROOT_FILES[0]),
                    detail:
                        "does not exist; install the ca-certificates package or set SSL_CERT_FILE"
                            .into(),
                }
            })?)
        }
        Some(RootCerts::File(f)) => Some(f.clone()),
        None => std::env::var_os("PGSSLROOTCERT")
            .map(PathBuf::from)
            .or_else(|| home_file("root.crt")),
    };
    let Some(file) = file else {
        return if verify {
            Err(FrontError::Tls(format!(
                "sslmode={} needs root certificates, and no home directory holds ~/.postgresql/root.crt; give the CA certificate file as sslrootcert",
                p.ssl_mode.name()
            )))
        } else {
            Ok((None, None))
        };
    };
    // libpq checks the chain in require mode too when a root file exists.
    let use_it = verify || (p.ssl_mode == SslMode::Require && file.is_file());
    if !use_it {
        return Ok((None, None));
    }
    let roots = read_certs("root certificate file", &file)?;
    let mut store = RootCertStore::empty();
    for r in &roots {
        // Certificates webpki cannot use as anchors still count as own roots.
        let _ = store.add(r.clone());
    }
    Ok((
        Some(Trust {
            store,
            roots,
            check_name: p.ssl_mode == SslMode::VerifyFull,
        }),
        Some(file.display().to_string()),
    ))
}

/// Refuses a private key file that others may read (libpq's rule: 0600, or 0640
/// owned by root).
fn check_key_permissions(path: &Path) -> Result<(), FrontError> {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let mode = meta.mode();
    let ok = if meta.uid() == 0 {
        mode & 0o037 == 0
    } else {
        mode & 0o077 == 0
    };
    if ok {
        Ok(())
    } else {
        Err(FrontError::CertificateFile {
            what: "private key file",
            path: path.to_path_buf(),
            detail: "has group or world access; run chmod 0600 on it".into(),
        })
    }
}

type ClientIdentity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

fn client_identity(p: &FrontParams) -> Result<Option<ClientIdentity>, FrontError> {
    let cert = match &p.client_cert {
        Some(c) => c.clone(),
        None => match home_file("postgresql.crt") {
            Some(c) if c.is_file() => c,
            _ => return Ok(None),
        },
    };
    let chain = read_certs("client certificate file", &cert)?;
    let key_path = match &p.client_key {
        Some(k) => k.clone(),
        None => home_file("postgresql.key").unwrap_or_else(|| cert.with_extension("key")),
    };
    check_key_permissions(&key_path)?;
    let key = PrivateKeyDer::from_pem_file(&key_path).map_err(|e| FrontError::CertificateFile {
        what: "private key file",
        path: key_path.clone(),
        detail: format!("cannot be used ({e}); give the client certificate's key in PEM as sslkey"),
    })?;
    Ok(Some((chain, key)))
}

/// The TLS settings for `p`, or `None` for `sslmode=disable`.
pub fn setup(p: &FrontParams) -> Result<Option<TlsSetup>, FrontError> {
    if p.ssl_mode == SslMode::Disable {
        return Ok(None);
    }
    let mut provider = rustls::crypto::ring::default_provider();
    // PostgreSQL before 18 offers only P-256 (ssl_ecdh_curve); 18 prefers X25519
    // and accepts P-256. Sending a P-256 share first avoids a HelloRetryRequest
    // (one more round trip) on every version.
    provider.kx_groups = vec![
        rustls::crypto::ring::kx_group::SECP256R1,
        rustls::crypto::ring::kx_group::X25519,
        rustls::crypto::ring::kx_group::SECP384R1,
    ];
    let provider = Arc::new(provider);
    let (trust, roots_from) = trust(p)?;
    let verifier = Arc::new(PgVerifier {
        trust,
        provider: provider.clone(),
    });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| FrontError::Tls(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match client_identity(p)? {
        Some((chain, key)) => builder.with_client_auth_cert(chain, key).map_err(|e| {
            FrontError::Tls(format!(
                "the client certificate and key do not go together ({e}); check sslcert and sslkey"
            ))
        })?,
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"postgresql".to_vec()];
    let server_name = ServerName::try_from(p.host.clone())
        .map_err(|_| FrontError::Tls(format!("`{}` is not a valid host name for TLS", p.host)))?;
    Ok(Some(TlsSetup {
        config: Arc::new(config),
        server_name,
        roots_from,
    }))
}

/// Words a failed handshake: which check failed and what to fix.
pub fn handshake_error(
    e: &std::io::Error,
    p: &FrontParams,
    roots_from: Option<&str>,
) -> FrontError {
    use rustls::{CertificateError, Error};
    let roots = roots_from.unwrap_or("the root certificate file");
    let inner = e.get_ref().and_then(|i| i.downcast_ref::<Error>());
    let text = match inner {
        Some(Error::InvalidCertificate(c)) => match c {
            CertificateError::UnknownIssuer | CertificateError::BadSignature => format!(
                "the server's certificate was not issued by a certificate authority in {roots} (sslmode={}); give the CA that signed the server's certificate as sslrootcert",
                p.ssl_mode.name()
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!(
                    "the server's certificate does not name host `{}` (sslmode=verify-full checks the name); connect with a host name the certificate lists, or issue the server a certificate for `{}`",
                    p.host, p.host
                )
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "the server's certificate has expired; renew it on the server".to_string()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "the server's certificate is not valid yet; check the clocks".to_string()
            }
            other if format!("{other:?}").contains("CaUsedAsEndEntity") => format!(
                "the server presents a CA certificate (a self-signed one?) that is not itself in {roots}; give that certificate as sslrootcert"
            ),
            other => format!("the server's certificate was refused: {other}"),
        },
        Some(Error::AlertReceived(alert)) => format!(
            "the server ended the TLS handshake ({alert:?}); if it asks for a client certificate, give one with sslcert and sslkey"
        ),
        Some(other) => format!("TLS handshake failed: {other}"),
        None => return super::wire::lost(std::io::Error::new(e.kind(), e.to_string())),
    };
    FrontError::Tls(text)
}

//! SCRAM-SHA-256 (RFC 5802, RFC 7677) and its channel-bound form
//! SCRAM-SHA-256-PLUS with `tls-server-end-point` (RFC 5929), as PostgreSQL
//! speaks them; and the MD5 password hash.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ring::{digest, hmac, pbkdf2};
use std::num::NonZeroU32;

/// How the client binds (or does not bind) the exchange to the TLS channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// No TLS, or binding turned off: `n,,`.
    Unsupported,
    /// TLS, but the server offered no channel-bound mechanism: `y,,`.
    NotOffered,
    /// `p=tls-server-end-point,,` with the hash of the server's certificate.
    EndPoint(Vec<u8>),
}

impl Binding {
    fn header(&self) -> &'static str {
        match self {
            Binding::Unsupported => "n,,",
            Binding::NotOffered => "y,,",
            Binding::EndPoint(_) => "p=tls-server-end-point,,",
        }
    }
}

/// A SCRAM exchange in progress.
pub struct Scram {
    password: Vec<u8>,
    binding: Binding,
    client_first_bare: String,
    nonce: String,
    expected_server_signature: Option<Vec<u8>>,
}

/// A SCRAM step the server's message did not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ScramError(pub String);

impl Scram {
    /// Starts an exchange. `user` goes into the first message as given (PostgreSQL
    /// ignores it and uses the startup packet's user; libpq sends it empty).
    pub fn new(user: &str, password: &str, nonce: &str, binding: Binding) -> Self {
        let prepared = stringprep::saslprep(password)
            .map(|p| p.into_owned())
            .unwrap_or_else(|_| password.to_string());
        Self {
            password: prepared.into_bytes(),
            binding,
            client_first_bare: format!("n={user},r={nonce}"),
            nonce: nonce.to_string(),
            expected_server_signature: None,
        }
    }

    /// A fresh random nonce.
    pub fn random_nonce() -> String {
        let bytes: [u8; 18] = rand::random();
        B64.encode(bytes)
    }

    /// The mechanism name to announce.
    pub fn mechanism(&self) -> &'static str {
        match self.binding {
            Binding::EndPoint(_) => "SCRAM-SHA-256-PLUS",
            _ => "SCRAM-SHA-256",
        }
    }

    /// The client-first message.
    pub fn client_first(&self) -> String {
        format!("{}{}", self.binding.header(), self.client_first_bare)
    }

    /// The client-final message in answer to the server-first message.
    pub fn client_final(&mut self, server_first: &str) -> Result<String, ScramError> {
        let mut nonce = None;
        let mut salt = None;
        let mut iterations = None;
        for part in server_first.split(',') {
            match part.split_once('=') {
                Some(("r", v)) => nonce = Some(v),
                Some(("s", v)) => salt = Some(v),
                Some(("i", v)) => iterations = Some(v),
                _ => {}
            }
        }
        let nonce = nonce.ok_or_else(|| ScramError("no nonce from the server".into()))?;
        if !nonce.starts_with(&self.nonce) || nonce.len() == self.nonce.len() {
            return Err(ScramError("the server's nonce does not extend ours".into()));
        }
        let salt = B64
            .decode(salt.ok_or_else(|| ScramError("no salt from the server".into()))?)
            .map_err(|_| ScramError("the server's salt is not base64".into()))?;
        let iterations: NonZeroU32 = iterations
            .and_then(|i| i.parse().ok())
            .ok_or_else(|| ScramError("no iteration count from the server".into()))?;
        let mut salted = [0u8; 32];
        pbkdf2::derive(
            pbkdf2::PBKDF2_HMAC_SHA256,
            iterations,
            &salt,
            &self.password,
            &mut salted,
        );
        let salted_key = hmac::Key::new(hmac::HMAC_SHA256, &salted);
        let client_key = hmac::sign(&salted_key, b"Client Key");
        let stored_key = digest::digest(&digest::SHA256, client_key.as_ref());
        let mut cbind = self.binding.header().as_bytes().to_vec();
        if let Binding::EndPoint(hash) = &self.binding {
            cbind.extend_from_slice(hash);
        }
        let without_proof = format!("c={},r={nonce}", B64.encode(cbind));
        let auth_message = format!("{},{server_first},{without_proof}", self.client_first_bare);
        let signature = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, stored_key.as_ref()),
            auth_message.as_bytes(),
        );
        let proof: Vec<u8> = client_key
            .as_ref()
            .iter()
            .zip(signature.as_ref())
            .map(|(a, b)| a ^ b)
            .collect();
        let server_key = hmac::sign(&salted_key, b"Server Key");
        let server_signature = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, server_key.as_ref()),
            auth_message.as_bytes(),
        );
        self.expected_server_signature = Some(server_signature.as_ref().to_vec());
        Ok(format!("{without_proof},p={}", B64.encode(proof)))
    }

    /// Checks the server-final message: the server proves it knows the password.
    pub fn verify_final(&self, server_final: &str) -> Result<(), ScramError> {
        if let Some(e) = server_final.strip_prefix("e=") {
            return Err(ScramError(format!("the server ended the exchange: {e}")));
        }
        let v = server_final
            .split(',')
            .find_map(|p| p.strip_prefix("v="))
            .ok_or_else(|| ScramError("no server signature".into()))?;
        let got = B64
            .decode(v)
            .map_err(|_| ScramError("the server signature is not base64".into()))?;
        match &self.expected_server_signature {
            Some(expected) if *expected == got => Ok(()),
            _ => Err(ScramError(
                "the server's signature is wrong: it does not know the password".into(),
            )),
        }
    }
}

/// The `md5` password response: `md5` + md5(md5(password + user) + salt), in hex.
pub fn md5_password(user: &str, password: &str, salt: &[u8]) -> String {
    use md5::Digest as _;
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let inner = hex(&md5::Md5::digest(
        [password.as_bytes(), user.as_bytes()].concat(),
    ));
    let outer = hex(&md5::Md5::digest([inner.as_bytes(), salt].concat()));
    format!("md5{outer}")
}

/// The `tls-server-end-point` channel-binding data: the hash of the server's
/// certificate with the hash of its signature algorithm (SHA-256 for MD5 and
/// SHA-1). `None` for an algorithm without a defined hash (Ed25519, RSA-PSS).
pub fn end_point_hash(cert_der: &[u8]) -> Option<Vec<u8>> {
    let algorithm = signature_algorithm_oid(cert_der)?;
    // OID bodies: PKCS#1 1.2.840.113549.1.1.x and ECDSA 1.2.840.10045.4.3.x.
    const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
    const ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03];
    let (prefix, last) = algorithm.split_at(algorithm.len().checked_sub(1)?);
    let hash = match (prefix, last[0]) {
        (RSA, 4 | 5 | 11) | (ECDSA, 2) => &digest::SHA256,
        (RSA, 12) | (ECDSA, 3) => &digest::SHA384,
        (RSA, 13) | (ECDSA, 4) => &digest::SHA512,
        _ => return None,
    };
    Some(digest::digest(hash, cert_der).as_ref().to_vec())
}

/// One DER element: (tag, contents, rest).
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *input.first()?;
    let first = *input.get(1)? as usize;
    let (len, start) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for b in input.get(2..2 + n)? {
            len = (len << 8) | *b as usize;
        }
        (len, 2 + n)
    };
    let end = start.checked_add(len)?;
    Some((tag, input.get(start..end)?, input.get(end..)?))
}

/// The OID of `Certificate.signatureAlgorithm`.
fn signature_algorithm_oid(cert: &[u8]) -> Option<&[u8]> {
    let (0x30, certificate, _) = der(cert)? else {
        return None;
    };
    let (0x30, _tbs, rest) = der(certificate)? else {
        return None;
    };
    let (0x30, algorithm, _) = der(rest)? else {
        return None;
    };
    let (0x06, oid, _) = der(algorithm)? else {
        return None;
    };
    Some(oid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7677_example_exchange() {
        let mut s = Scram::new(
            "user",
            "pencil",
            "rOprNGfwEbeRWgbNEkqO",
            Binding::Unsupported,
        );
        assert_eq!(s.client_first(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let server_first = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        assert_eq!(
            s.client_final(server_first).unwrap(),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        s.verify_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .unwrap();
        assert!(
            s.verify_final("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
                .is_err()
        );
    }

    #[test]
    fn a_server_nonce_must_extend_the_client_nonce() {
        let mut s = Scram::new("", "pw", "abc", Binding::NotOffered);
        assert!(s.client_final("r=xyz,s=QQ==,i=4096").is_err());
        assert!(s.client_final("r=abc,s=QQ==,i=4096").is_err());
        assert_eq!(s.client_first(), "y,,n=,r=abc");
    }

    #[test]
    fn md5_matches_postgres() {
        // 'md5' || md5(md5('secret' || 'alice') || 'salt'), as PostgreSQL computes it.
        assert_eq!(
            md5_password("alice", "secret", b"salt"),
            "md5986e2194384c07f4fd1df4b1351b3e68"
        );
    }

    #[test]
    fn der_lengths_are_read_short_and_long() {
        let short = [0x30, 0x03, 0x06, 0x01, 0x2a, 0xff];
        let (tag, body, rest) = der(&short).unwrap();
        assert_eq!((tag, body, rest), (0x30, &short[2..5], &short[5..]));
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend(std::iter::repeat_n(7u8, 128));
        assert_eq!(der(&long).unwrap().1.len(), 128);
        assert!(der(&[0x04, 0x85, 1, 1, 1, 1, 1]).is_none());
    }
}

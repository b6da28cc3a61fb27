//! Logging in: the startup packet, then whatever authentication the server asks
//! for (trust, cleartext, MD5, SCRAM-SHA-256 with or without channel binding),
//! under libpq's `channel_binding` rules. Returns the server's messages after
//! authentication, for the driver.

use super::errors::FrontError;
use super::params::{ChannelBinding, FrontParams};
use super::pgpass;
use super::scram::{Binding, Scram, md5_password};
use super::wire::{be_u32, frontend, read_message, send, server_error};
use tokio::io::{AsyncRead, AsyncWrite};

/// What the TLS layer knows for channel binding.
#[derive(Debug, Clone)]
pub enum Channel {
    /// No TLS.
    Plain,
    /// TLS; the `tls-server-end-point` data if the certificate allows it.
    Tls(Option<Vec<u8>>),
}

/// The password for `p`: the URL's, `PGPASSWORD`, or the password file's.
fn password(p: &FrontParams) -> Result<String, FrontError> {
    if let Some(pw) = &p.password {
        return Ok(pw.clone());
    }
    if let Some(pw) = std::env::var("PGPASSWORD").ok().filter(|v| !v.is_empty()) {
        return Ok(pw);
    }
    let note = match pgpass::lookup(&p.host, p.port, p.database_or_user(), &p.user) {
        pgpass::Lookup::Found(pw) => return Ok(pw),
        pgpass::Lookup::Ignored(path) => format!(
            " ({} was ignored: group or others may read it; run chmod 0600 on it)",
            path.display()
        ),
        pgpass::Lookup::None => String::new(),
    };
    Err(FrontError::Auth {
        detail: format!(
            "the server asks for a password for user `{}` and none was given{note}; give it in the URL, PGPASSWORD, POSTGRES_PASSWORD_FILE or a .pgpass file",
            p.user
        ),
    })
}

fn refuse_unbound(p: &FrontParams, how: &str) -> Result<(), FrontError> {
    if p.channel_binding == ChannelBinding::Require {
        return Err(FrontError::Auth {
            detail: format!(
                "channel_binding=require, but the server {how}, which cannot bind to the TLS channel; have the server use scram-sha-256 over TLS, or lower channel_binding"
            ),
        });
    }
    Ok(())
}

fn sasl_initial(mechanism: &str, data: &str) -> Vec<u8> {
    let mut body = mechanism.as_bytes().to_vec();
    body.push(0);
    body.extend_from_slice(&(data.len() as u32).to_be_bytes());
    body.extend_from_slice(data.as_bytes());
    frontend(b'p', &body)
}

fn cstring(text: &str) -> Vec<u8> {
    let mut v = text.as_bytes().to_vec();
    v.push(0);
    v
}

fn chooses(p: &FrontParams, channel: &Channel, offered: &[String]) -> Result<Binding, FrontError> {
    let plus = offered.iter().any(|m| m == "SCRAM-SHA-256-PLUS");
    let plain = offered.iter().any(|m| m == "SCRAM-SHA-256");
    match channel {
        Channel::Tls(Some(hash)) if plus && p.channel_binding != ChannelBinding::Disable => {
            return Ok(Binding::EndPoint(hash.clone()));
        }
        _ => {}
    }
    if p.channel_binding == ChannelBinding::Require {
        return Err(FrontError::Auth {
            detail: match channel {
                Channel::Plain => "channel_binding=require, but the connection is not encrypted (the server does not offer TLS); enable ssl on the server or lower channel_binding".to_string(),
                Channel::Tls(None) => "channel_binding=require, but the server's certificate uses a signature algorithm without a channel-binding hash; lower channel_binding".to_string(),
                Channel::Tls(Some(_)) => "channel_binding=require, but the server does not offer SCRAM-SHA-256-PLUS; lower channel_binding".to_string(),
            },
        });
    }
    if !plain {
        return Err(FrontError::Auth {
            detail: format!(
                "the server offers only SASL mechanisms {offered:?}; none is supported"
            ),
        });
    }
    Ok(match channel {
        Channel::Tls(_) if p.channel_binding != ChannelBinding::Disable && !plus => {
            Binding::NotOffered
        }
        _ => Binding::Unsupported,
    })
}

fn scram_failed(e: super::scram::ScramError) -> FrontError {
    FrontError::Auth {
        detail: format!("SCRAM authentication failed: {e}"),
    }
}

/// Sends `startup` and authenticates; returns the server's messages from
/// AuthenticationOk up to and including ReadyForQuery.
pub async fn login<S>(
    s: &mut S,
    startup: &[u8],
    p: &FrontParams,
    channel: &Channel,
) -> Result<Vec<u8>, FrontError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    send(s, startup).await?;
    let mut forward = Vec::new();
    let mut scram: Option<Scram> = None;
    let mut bound = false;
    loop {
        let m = read_message(s).await?;
        match m.tag {
            b'R' => match be_u32(&m.body)? {
                0 => {
                    if !bound {
                        refuse_unbound(p, "let the user in without SCRAM-SHA-256-PLUS")?;
                    }
                    forward.extend(m.encode());
                }
                3 => {
                    refuse_unbound(p, "asks for a cleartext password")?;
                    send(s, &frontend(b'p', &cstring(&password(p)?))).await?;
                }
                5 => {
                    refuse_unbound(p, "asks for an MD5 password")?;
                    let salt = m
                        .body
                        .get(4..8)
                        .ok_or_else(|| FrontError::Protocol("MD5 request without salt".into()))?;
                    let hashed = md5_password(&p.user, &password(p)?, salt);
                    send(s, &frontend(b'p', &cstring(&hashed))).await?;
                }
                10 => {
                    let offered: Vec<String> = m.body[4..]
                        .split(|b| *b == 0)
                        .filter(|x| !x.is_empty())
                        .map(|x| String::from_utf8_lossy(x).into_owned())
                        .collect();
                    let binding = chooses(p, channel, &offered)?;
                    bound = matches!(binding, Binding::EndPoint(_));
                    let sc = Scram::new("", &password(p)?, &Scram::random_nonce(), binding);
                    send(s, &sasl_initial(sc.mechanism(), &sc.client_first())).await?;
                    scram = Some(sc);
                }
                11 => {
                    let sc = scram.as_mut().ok_or_else(|| {
                        FrontError::Protocol("SASL continue before SASL start".into())
                    })?;
                    let server_first = String::from_utf8_lossy(&m.body[4..]).into_owned();
                    let reply = sc.client_final(&server_first).map_err(scram_failed)?;
                    send(s, &frontend(b'p', reply.as_bytes())).await?;
                }
                12 => {
                    let sc = scram.as_ref().ok_or_else(|| {
                        FrontError::Protocol("SASL final before SASL start".into())
                    })?;
                    sc.verify_final(&String::from_utf8_lossy(&m.body[4..]))
                        .map_err(scram_failed)?;
                }
                other => {
                    return Err(FrontError::Auth {
                        detail: format!(
                            "the server asks for authentication method {other} (Kerberos, GSSAPI or SSPI), which is not supported; use scram-sha-256 for this user in pg_hba.conf"
                        ),
                    });
                }
            },
            b'E' => return Err(server_error(&m.body)),
            b'Z' => {
                forward.extend(m.encode());
                return Ok(forward);
            }
            _ => forward.extend(m.encode()),
        }
    }
}

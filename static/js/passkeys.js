/*
 * passkeys.js: registering passkeys (/w/account/passkeys) and signing in with one (/login).
 *
 * No library and no network beyond this server: the WebAuthn options come from the server as
 * JSON whose binary members (challenge, user id, credential ids) are base64url strings; the
 * browser's API wants ArrayBuffers, and its answer is sent back with its binary members as
 * base64url again, as a form field "credential" next to the page's _csrf token. The helpers
 * below do that conversion by hand (PublicKeyCredential.parseCreationOptionsFromJSON and
 * toJSON are not in every browser yet).
 *
 * Without WebAuthn the button stays disabled and the element's data-unsupported text says so;
 * without JavaScript the page's <noscript> text does.
 */
(function () {
  'use strict';

  // ---- base64url <-> ArrayBuffer ------------------------------------------------------------

  function fromB64url(s) {
    var b64 = s.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64url(buf) {
    var bytes = new Uint8Array(buf);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      var out = { type: d.type, id: fromB64url(d.id) };
      if (d.transports) out.transports = d.transports;
      return out;
    });
  }

  // creationOptions turns the server's {publicKey: …} into what credentials.create takes.
  function creationOptions(json) {
    var pk = json.publicKey;
    pk.challenge = fromB64url(pk.challenge);
    pk.user.id = fromB64url(pk.user.id);
    pk.excludeCredentials = descriptors(pk.excludeCredentials);
    return pk;
  }

  function requestOptions(json) {
    var pk = json.publicKey;
    pk.challenge = fromB64url(pk.challenge);
    pk.allowCredentials = descriptors(pk.allowCredentials);
    return pk;
  }

  // credentialJSON is the browser's answer with its binary members as base64url.
  function credentialJSON(cred) {
    var r = cred.response;
    var out = {
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: { clientDataJSON: toB64url(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = toB64url(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = toB64url(r.authenticatorData);
      out.response.signature = toB64url(r.signature);
      if (r.userHandle) out.response.userHandle = toB64url(r.userHandle);
    }
    return JSON.stringify(out);
  }

  // ---- talking to the server --------------------------------------------------------------

  // post sends fields as a form and resolves with {ok, status, body}; a body that is not JSON
  // (a proxy's error page) is {}.
  function post(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
    return fetch(url, {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'Accept': 'application/json' }
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (b) {
        return { ok: res.ok, status: res.status, body: b };
      });
    });
  }

  // problemText is the server's translated message of a refusal, or fallback.
  function problemText(res, fallback) {
    var b = res.body || {};
    if (b.errors && b.errors.length && b.errors[0].message) return b.errors[0].message;
    return b.detail || fallback;
  }

  function supported() {
    return !!(window.PublicKeyCredential && navigator.credentials && navigator.credentials.create && window.fetch);
  }

  function show(el, text) {
    if (!el) return;
    el.textContent = text || '';
    el.hidden = !text;
  }

  // A prompt the person closed, or that timed out, is NotAllowedError; an authenticator that
  // holds a passkey here already is InvalidStateError (excludeCredentials).
  function cancelled(err) {
    return err && (err.name === 'NotAllowedError' || err.name === 'AbortError' || err.name === 'InvalidStateError');
  }

  // ---- registering ------------------------------------------------------------------------

  function setupRegister(form) {
    var button = form.querySelector('button[type="submit"]');
    var error = form.querySelector('[data-passkey-error]');
    var fieldError = form.querySelector('[data-passkey-field-error]');
    var status = form.querySelector('[data-passkey-status]');
    var nameInput = form.querySelector('input[name="name"]');
    var csrf = form.querySelector('input[name="_csrf"]').value;
    if (!supported()) {
      show(error, form.getAttribute('data-unsupported'));
      return;
    }
    button.disabled = false;
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      show(error, '');
      show(fieldError, '');
      nameInput.removeAttribute('aria-invalid');
      button.disabled = true;
      status.textContent = form.getAttribute('data-working');
      var done = function (msg, field) {
        button.disabled = false;
        status.textContent = '';
        if (field) {
          show(fieldError, msg);
          nameInput.setAttribute('aria-invalid', 'true');
          nameInput.focus();
        } else {
          show(error, msg);
        }
      };
      var name = nameInput.value;
      post(form.getAttribute('data-begin'), { _csrf: csrf, name: name }).then(function (res) {
        if (!res.ok) {
          done(problemText(res, form.getAttribute('data-failed')), res.status === 422);
          return null;
        }
        return navigator.credentials.create({ publicKey: creationOptions(res.body) }).then(function (cred) {
          return post(form.getAttribute('action'), { _csrf: csrf, credential: credentialJSON(cred) });
        }, function (err) {
          done(cancelled(err) ? form.getAttribute('data-cancelled') : form.getAttribute('data-failed') + ' (' + err.name + ')');
          return null;
        });
      }).then(function (res) {
        if (!res) return;
        if (res.ok && res.body.redirect) {
          window.location.assign(res.body.redirect);
          return;
        }
        done(problemText(res, form.getAttribute('data-failed')));
      }).catch(function () {
        done(form.getAttribute('data-failed'));
      });
    });
  }

  // ---- signing in -------------------------------------------------------------------------

  function setupLogin(box) {
    var button = box.querySelector('button');
    var error = box.querySelector('[data-passkey-error]');
    var form = document.querySelector('form[action="/login"]');
    var csrf = form.querySelector('input[name="_csrf"]').value;
    var next = form.querySelector('input[name="next"]').value;
    if (!supported()) {
      show(error, box.getAttribute('data-unsupported'));
      return;
    }
    // The autofill request waits in the background; the button aborts it and asks at once
    // (a page may have only one request pending). The button is enabled once the autofill
    // request has started (or is known to be unavailable), so a click always replaces it.
    var pending = null;

    function signIn(conditional) {
      if (pending) pending.abort();
      var ctrl = window.AbortController ? new AbortController() : null;
      pending = ctrl;
      return post(box.getAttribute('data-begin'), { _csrf: csrf }).then(function (res) {
        if (ctrl && ctrl.signal.aborted) return null; // replaced by the button's request
        if (!res.ok) {
          if (!conditional) show(error, problemText(res, box.getAttribute('data-failed')));
          return null;
        }
        var opts = { publicKey: requestOptions(res.body) };
        if (conditional) opts.mediation = 'conditional';
        if (ctrl) opts.signal = ctrl.signal;
        return navigator.credentials.get(opts).then(function (cred) {
          show(error, '');
          return post(box.getAttribute('data-finish'), { _csrf: csrf, next: next, credential: credentialJSON(cred) });
        }, function (err) {
          if (ctrl && ctrl.signal.aborted) return null; // replaced by the button's request
          if (!conditional) {
            show(error, cancelled(err) ? box.getAttribute('data-cancelled') : box.getAttribute('data-failed') + ' (' + err.name + ')');
          }
          return null;
        });
      }).then(function (res) {
        if (!res) return;
        if (res.ok && res.body.redirect) {
          window.location.assign(res.body.redirect);
          return;
        }
        show(error, problemText(res, box.getAttribute('data-failed')));
      }).catch(function () {
        show(error, box.getAttribute('data-failed'));
      });
    }

    button.addEventListener('click', function () { signIn(false); });
    var ready = function () { button.disabled = false; };
    if (PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (yes) {
        if (yes) signIn(true);
        ready();
      }, ready);
    } else {
      ready();
    }
  }

  document.querySelectorAll('[data-passkey-register]').forEach(setupRegister);
  document.querySelectorAll('[data-passkey-login]').forEach(setupLogin);
})();

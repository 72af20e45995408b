/* PQM Client Panel — post a message in place (progressive enhancement).
 * Without JavaScript the form POSTs and the server redirects back. With it,
 * the same endpoint answers JSON; on success the thread is refreshed from the
 * panel page, on any failure the text stays in the box and the error shows. */
(function () {
	'use strict';
	var texts = window.pqmMessages || {};

	function showError(form, text) {
		var p = form.querySelector('.pqm-message-error');
		if (p) {
			p.textContent = text;
			p.hidden = false;
		}
	}

	document.addEventListener('submit', function (ev) {
		var form = ev.target;
		if (!form || !form.matches || !form.matches('form.pqm-message-form') || !window.fetch || !window.FormData) {
			return;
		}
		ev.preventDefault();
		if (form.getAttribute('aria-busy') === 'true') {
			return; // one post at a time; the client token makes a retry safe anyway
		}
		var button = form.querySelector('button[type=submit]');
		var label = button ? button.textContent : '';
		var data = new FormData(form);
		data.append('pqm_js', '1');
		form.setAttribute('aria-busy', 'true');
		if (button) {
			button.disabled = true;
			button.textContent = texts.sending || label;
		}
		var done = function () {
			form.removeAttribute('aria-busy');
			if (button) {
				button.disabled = false;
				button.textContent = label;
			}
		};
		// Not form.action: the hidden input named "action" shadows that property.
		fetch(form.getAttribute('action'), { method: 'POST', body: data, credentials: 'same-origin', headers: { Accept: 'application/json' } })
			.then(function (r) {
				return r.json().catch(function () { return null; }).then(function (json) { return { ok: r.ok, json: json }; });
			})
			.then(function (res) {
				if (!res.ok || !res.json || !res.json.ok) {
					done();
					showError(form, (res.json && res.json.message) || texts.failed);
					return;
				}
				var id = res.json.message_id;
				var url = window.location.href.replace(/([?&])pqm_draft=[^&#]*&?/, '$1').replace(/#.*$/, '');
				return fetch(url, { credentials: 'same-origin' })
					.then(function (r) { return r.text(); })
					.then(function (html) {
						var doc = new DOMParser().parseFromString(html, 'text/html');
						var fresh = doc.getElementById('pqm-messages');
						var current = document.getElementById('pqm-messages');
						if (!fresh || !current) {
							window.location.assign(url + '#pqm-message-' + id);
							return;
						}
						current.replaceWith(fresh);
						var box = fresh.querySelector('textarea');
						var mine = document.getElementById('pqm-message-' + id);
						if (mine && mine.scrollIntoView) {
							mine.scrollIntoView({ block: 'nearest' });
						}
						if (box) {
							box.focus();
						}
					})
					.catch(function () {
						window.location.assign(url + '#pqm-message-' + id);
					});
			})
			.catch(function () {
				done();
				showError(form, texts.failed);
			});
	});
}());

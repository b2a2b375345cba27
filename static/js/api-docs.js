// Starts Swagger UI on /api/docs/ from the page's data attributes (no inline script, so a
// strict Content-Security-Policy can forbid inline code). "Try it out" uses the session; its
// writes carry the CSRF token, as the pages' forms do.
(function () {
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    deepLinking: true,
    requestInterceptor: function (request) {
      request.headers["X-CSRFToken"] = root.dataset.csrfToken;
      return request;
    },
  });
})();

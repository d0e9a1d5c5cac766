// Renders the API reference at /api/docs from the OpenAPI document embedded in the page as a
// JSON data block (an external script, so the page needs no inline script).
(function () {
  var spec = JSON.parse(document.getElementById("openapi-document").textContent);
  var config = JSON.parse(document.getElementById("redoc-config").textContent || "{}");
  Redoc.init(spec, config, document.getElementById("redoc-container"));
})();

// Served offline: swagger-ui from the swagger-ui-dist package, the document from /openapi.json.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
});

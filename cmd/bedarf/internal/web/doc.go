// Package web is the HTTP layer of bedarf: the pages, forms and downloads of
// Kommunen and staff as thin handlers over the store and analysis. New
// builds the server; Handler is all of it as one http.Handler.
package web

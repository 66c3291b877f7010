// The sandbox page.

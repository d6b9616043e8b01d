"""Printed documents: PDF notices and reports rendered from HTML templates with WeasyPrint."""

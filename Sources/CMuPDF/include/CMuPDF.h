// Placeholder until the MuPDF shim lands.
int cmupdf_placeholder(void);

"""What radit writes, computed once (output cells, legend, summary), and the package writer that renders it into the .xlsx."""

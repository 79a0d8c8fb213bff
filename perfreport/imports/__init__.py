"""Reading and writing the register and its values as CSV files or one workbook."""

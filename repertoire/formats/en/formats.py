# Dates a reader on either side of the Channel or in Mali cannot misread: "10 September 2008"
# (Django's English default is "Sept. 10, 2008", and its short form 09/10/2008).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y, H:i"

# EmbedFile.cmake: writes a C file defining `const char NAME[]` (NUL-terminated)
# and `const unsigned NAME_len` with the bytes of INPUT.  Run with cmake -P.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}" "/* generated from ${INPUT} by cmake/EmbedFile.cmake */\n"
  "const char ${NAME}[] = {${bytes} 0};\nconst unsigned ${NAME}_len = ${len};\n")
